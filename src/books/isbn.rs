//! ISBNs as people type them: ISBN-10 or ISBN-13, with or without hyphens
//! and spaces, check digit verified, kept as ISBN-13 (so the same book typed
//! either way is one book).

/// What is wrong with a typed ISBN, in words for the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IsbnProblem {
    /// Not 10 or 13 digits (an ISBN-10 may end in X).
    Shape,
    /// The digits are there but the check digit does not match: a typo.
    CheckDigit,
}

impl IsbnProblem {
    pub fn message(self) -> &'static str {
        match self {
            IsbnProblem::Shape => {
                "An ISBN has 10 or 13 digits (an ISBN-10 may end in X); hyphens and spaces are fine."
            }
            IsbnProblem::CheckDigit => {
                "That ISBN's last digit does not match the others: check it for a typo."
            }
        }
    }
}

/// The ISBN-13 of a typed ISBN-10 or ISBN-13.
pub fn isbn13(typed: &str) -> Result<String, IsbnProblem> {
    let chars: Vec<char> = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{2010}' | '\u{2011}'))
        .collect();
    let digit = |c: &char| c.to_digit(10);
    match chars.len() {
        10 => {
            let body: Option<Vec<u32>> = chars[..9].iter().map(digit).collect();
            let body = body.ok_or(IsbnProblem::Shape)?;
            let check = match chars[9] {
                'X' | 'x' => 10,
                c => c.to_digit(10).ok_or(IsbnProblem::Shape)?,
            };
            let sum: u32 = body
                .iter()
                .chain([check].iter())
                .zip((1..=10).rev())
                .map(|(d, w)| d * w)
                .sum();
            if !sum.is_multiple_of(11) {
                return Err(IsbnProblem::CheckDigit);
            }
            let mut digits = vec![9, 7, 8];
            digits.extend(body);
            digits.push(isbn13_check(&digits));
            Ok(digits
                .iter()
                .map(|d| char::from_digit(*d, 10).unwrap())
                .collect())
        }
        13 => {
            let digits: Option<Vec<u32>> = chars.iter().map(digit).collect();
            let digits = digits.ok_or(IsbnProblem::Shape)?;
            if !(digits.starts_with(&[9, 7, 8]) || digits.starts_with(&[9, 7, 9])) {
                return Err(IsbnProblem::Shape);
            }
            if isbn13_check(&digits[..12]) != digits[12] {
                return Err(IsbnProblem::CheckDigit);
            }
            Ok(chars.into_iter().collect())
        }
        _ => Err(IsbnProblem::Shape),
    }
}

/// The check digit of the first twelve digits of an ISBN-13.
fn isbn13_check(first12: &[u32]) -> u32 {
    let sum: u32 = first12
        .iter()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 })
        .sum();
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_kinds_are_kept_as_isbn13() {
        // Middlemarch (Penguin Classics): the same book typed both ways.
        assert_eq!(isbn13("0-14-143954-8").unwrap(), "9780141439549");
        assert_eq!(isbn13("978-0-14-143954-9").unwrap(), "9780141439549");
        assert_eq!(isbn13(" 978 0141439549 ").unwrap(), "9780141439549");
        // An ISBN-10 whose check digit is X.
        assert_eq!(isbn13("0-8044-2957-X").unwrap(), "9780804429573");
        assert_eq!(isbn13("080442957x").unwrap(), "9780804429573");
        // 979 prefixes exist only as ISBN-13.
        assert_eq!(isbn13("979-10-90636-07-1").unwrap(), "9791090636071");
    }

    #[test]
    fn typos_and_other_shapes_are_refused_with_the_reason() {
        assert_eq!(isbn13("0-14-143954-7"), Err(IsbnProblem::CheckDigit));
        assert_eq!(isbn13("978-0-14-143954-8"), Err(IsbnProblem::CheckDigit));
        assert_eq!(isbn13("12345"), Err(IsbnProblem::Shape));
        assert_eq!(
            isbn13("977-0-14-143954-9"),
            Err(IsbnProblem::Shape),
            "not a book prefix"
        );
        assert_eq!(isbn13("97801414395X9"), Err(IsbnProblem::Shape));
        assert_eq!(isbn13("014143954"), Err(IsbnProblem::Shape));
        assert_eq!(isbn13(""), Err(IsbnProblem::Shape));
        assert_eq!(
            isbn13("٠١٤١٤٣٩٥٤٨"),
            Err(IsbnProblem::Shape),
            "ASCII digits only"
        );
    }
}
