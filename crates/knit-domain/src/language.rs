//! The languages Knit speaks to the public: English and Welsh. A person's language is kept
//! with what they book or apply for, so the emails that follow later (a reminder, an
//! answer) speak it too; the words themselves are the web crate's catalogues.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Language {
    #[default]
    #[serde(rename = "en")]
    English,
    #[serde(rename = "cy")]
    Welsh,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::Welsh];

    /// The BCP 47 tag, as `<html lang>` and the switch link carry it.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en-GB",
            Language::Welsh => "cy",
        }
    }

    /// The short code used in `?lang=`, the cookie and the database.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Welsh => "cy",
        }
    }

    pub fn from_code(code: &str) -> Option<Language> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" | "en-gb" => Some(Language::English),
            "cy" | "cy-gb" => Some(Language::Welsh),
            _ => None,
        }
    }

    /// The other language, offered by the switch link in its own name.
    pub fn other(self) -> Language {
        match self {
            Language::English => Language::Welsh,
            Language::Welsh => Language::English,
        }
    }

    /// The language's name in itself: what the switch link says.
    pub fn own_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::Welsh => "Cymraeg",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_as_their_language() {
        for language in Language::ALL {
            assert_eq!(Language::from_code(language.code()), Some(language));
            assert_eq!(Language::from_code(language.tag()), Some(language));
            assert_eq!(language.other().other(), language);
        }
        assert_eq!(Language::from_code(" CY "), Some(Language::Welsh));
        assert_eq!(Language::from_code("fr"), None);
    }
}
