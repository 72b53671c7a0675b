//! The WASM, JS and CSS bundles, compressed once per build instead of on
//! every download (compressing the WASM on the fly cost ~70 ms of CPU per
//! browser that fetched it).
//!
//! At start-up a background task writes `name.br` and `name.gz` beside each
//! bundle in the site's pkg directory, unless up-to-date ones are there
//! already (they then last as long as the build). `ServeDir` serves them to
//! browsers that accept them. Until they exist, or where the directory is
//! read-only, the compression layer compresses on the fly as before.
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Which files are worth compressing.
const COMPRESSIBLE: [&str; 3] = ["wasm", "js", "css"];

/// Starts writing the compressed copies in the background.
pub fn precompress_in_background(dir: PathBuf) {
    tokio::task::spawn_blocking(move || match precompress(&dir) {
        Ok(0) => {}
        Ok(written) => tracing::info!(dir = %dir.display(), files = written, "bundles compressed"),
        Err(err) => tracing::warn!(
            dir = %dir.display(),
            error = %err,
            "could not write compressed bundles; compressing on the fly instead"
        ),
    });
}

/// Writes the missing or stale compressed copies; returns how many.
pub fn precompress(dir: &Path) -> io::Result<usize> {
    let mut written = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        // Copies of bundles an earlier build replaced (new hashes, new names).
        let copy_of = path
            .to_str()
            .and_then(|p| p.strip_suffix(".br").or_else(|| p.strip_suffix(".gz")));
        if copy_of.is_some_and(|source| !Path::new(source).exists()) {
            std::fs::remove_file(&path)?;
            continue;
        }
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e));
        if !compressible {
            continue;
        }
        let modified = std::fs::metadata(&path)?.modified()?;
        let mut data = None;
        for (suffix, compress) in [
            ("br", brotli as fn(&[u8]) -> io::Result<Vec<u8>>),
            ("gz", gzip),
        ] {
            let mut target = path.clone().into_os_string();
            target.push(format!(".{suffix}"));
            let target = PathBuf::from(target);
            let fresh = std::fs::metadata(&target)
                .and_then(|m| m.modified())
                .is_ok_and(|t| t >= modified);
            if fresh {
                continue;
            }
            if data.is_none() {
                data = Some(std::fs::read(&path)?);
            }
            let packed = compress(data.as_deref().unwrap_or_default())?;
            // Written aside and renamed: a browser never gets half a file,
            // and two instances starting together do not clash.
            let mut partial = target.clone().into_os_string();
            partial.push(format!(".{}.partial", std::process::id()));
            std::fs::write(&partial, packed)?;
            std::fs::rename(&partial, &target)?;
            written += 1;
        }
    }
    Ok(written)
}

fn brotli(data: &[u8]) -> io::Result<Vec<u8>> {
    let params = ::brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut out = Vec::with_capacity(data.len() / 3);
    ::brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
    Ok(out)
}

fn gzip(data: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 3),
        flate2::Compression::best(),
    );
    encoder.write_all(data)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn bundles_get_compressed_copies_once_and_other_files_none() {
        let dir = tempfile::tempdir().unwrap();
        let wasm = "wasm bytes ".repeat(2000);
        std::fs::write(dir.path().join("app.abc.wasm"), &wasm).unwrap();
        std::fs::write(dir.path().join("app.abc.js"), "export {}").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "leave me").unwrap();
        assert_eq!(precompress(dir.path()).unwrap(), 4);
        assert!(!dir.path().join("notes.txt.br").exists());

        let br = std::fs::read(dir.path().join("app.abc.wasm.br")).unwrap();
        assert!(br.len() < wasm.len() / 10);
        let mut unpacked = String::new();
        ::brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut unpacked)
            .unwrap();
        assert_eq!(unpacked, wasm);
        let gz = std::fs::read(dir.path().join("app.abc.wasm.gz")).unwrap();
        let mut unpacked = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut unpacked)
            .unwrap();
        assert_eq!(unpacked, wasm);

        // Up to date: nothing to do.
        assert_eq!(precompress(dir.path()).unwrap(), 0);
        // A new build replaces the bundle: its old copies go.
        std::fs::remove_file(dir.path().join("app.abc.wasm")).unwrap();
        precompress(dir.path()).unwrap();
        assert!(!dir.path().join("app.abc.wasm.br").exists());
        assert!(!dir.path().join("app.abc.wasm.gz").exists());
        assert!(dir.path().join("app.abc.js.br").exists());
        let leftovers = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .to_string_lossy()
                    .contains("partial")
            })
            .count();
        assert_eq!(leftovers, 0);
    }
}
