//! The files of a download: CSV written by hand (RFC 4180: fields with a
//! comma, quote or line break are quoted, quotes doubled) and a zip of
//! named files, deflated.
use std::io::Write;

use zip::write::SimpleFileOptions;

/// One CSV file: a header row and the rows, CRLF line ends as RFC 4180
/// says. A field that starts like a spreadsheet formula (`=`, `+`, `-`,
/// `@`) gets a leading `'`, so a cell someone typed cannot run in the
/// spreadsheet the admin opens it with.
pub fn csv<R: AsRef<[String]>>(header: &[&str], rows: &[R]) -> String {
    let mut out = String::new();
    let mut line = |fields: Vec<&str>| {
        let cells: Vec<String> = fields.into_iter().map(cell).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    line(header.to_vec());
    for row in rows {
        line(row.as_ref().iter().map(String::as_str).collect());
    }
    out
}

fn cell(field: &str) -> String {
    let field = if field.starts_with(['=', '+', '-', '@']) {
        format!("'{field}")
    } else {
        field.to_owned()
    };
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

/// A zip holding `files` (name, contents), in that order.
pub fn zip(files: &[(&str, Vec<u8>)]) -> std::io::Result<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    for (name, contents) in files {
        writer
            .start_file(*name, options)
            .map_err(std::io::Error::other)?;
        writer.write_all(contents)?;
    }
    Ok(writer.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_quoting_and_defuses_formulas() {
        let rows = vec![
            vec!["Middlemarch".to_owned(), "Eliot, George".to_owned()],
            vec!["Say \"hi\"".to_owned(), "two\nlines".to_owned()],
            vec!["=HYPERLINK(\"x\")".to_owned(), "-1".to_owned()],
        ];
        assert_eq!(
            csv(&["title", "authors"], &rows),
            "title,authors\r\nMiddlemarch,\"Eliot, George\"\r\n\"Say \"\"hi\"\"\",\"two\nlines\"\r\n\"'=HYPERLINK(\"\"x\"\")\",'-1\r\n"
        );
    }

    #[test]
    fn a_zip_holds_its_files() {
        let bytes = zip(&[("a.txt", b"one".to_vec()), ("b/c.csv", b"x,y\r\n".to_vec())]).unwrap();
        let mut archive = ::zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 2);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("b/c.csv").unwrap(), &mut text).unwrap();
        assert_eq!(text, "x,y\r\n");
    }
}
