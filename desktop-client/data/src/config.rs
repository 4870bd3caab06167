//! The app's per-user settings: `config.toml` in the OS config directory
//! (`~/.config/local-messenger/` on Linux, `%APPDATA%\local-messenger\` on
//! Windows). It is written from an annotated template on the first run and
//! again whenever a setting changes; the server address is also saved after
//! each successful login, so a student types it once per PC.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::i18n::Language;

/// Overrides where the config file lives (tests, several profiles).
pub const CONFIG_ENV: &str = "MESSENGER_CLIENT_CONFIG";

/// The server asked when nothing else is configured.
pub const DEFAULT_SERVER_URL: &str = "http://127.0.0.1:8000";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub server_url: String,
    pub language: Language,
    /// A desktop notification for a message in a chat not in front.
    pub notifications: bool,
    /// The taskbar entry asks for attention for such a message.
    pub attention: bool,
}

impl Config {
    /// The settings of a first start: the OS's language.
    pub fn first_start() -> Config {
        Config {
            language: Language::of_system(),
            ..Config::default()
        }
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            server_url: DEFAULT_SERVER_URL.into(),
            language: Language::English,
            notifications: true,
            attention: true,
        }
    }
}

/// The config as read at start-up, and where it lives.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    pub path: Option<PathBuf>,
    /// Why the file could not be used. The app then shows a screen that
    /// says so and offers to reset the file; it never overwrites it unasked.
    pub problem: Option<Problem>,
}

/// Why the settings file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The OS has no config directory: settings live only this session.
    NoConfigDirectory,
    /// The file is there but is not a valid settings file.
    Damaged { path: PathBuf, reason: String },
    /// The file cannot be read or written (permissions, disk).
    Unusable { path: PathBuf, reason: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    client: ClientSection,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ClientSection {
    server_url: Option<String>,
    language: Option<String>,
    notifications: Option<bool>,
    attention: Option<bool>,
}

/// The file's place: `MESSENGER_CLIENT_CONFIG`, else the OS config dir.
pub fn default_path() -> Option<PathBuf> {
    match std::env::var_os(CONFIG_ENV) {
        Some(path) if !path.is_empty() => Some(PathBuf::from(path)),
        _ => dirs::config_dir().map(|dir| dir.join("local-messenger").join("config.toml")),
    }
}

/// Reads the config, creating it from the template when it is missing
/// (with the OS's language: this is the first start on this PC).
pub fn load(path: Option<PathBuf>) -> Loaded {
    let Some(path) = path else {
        return Loaded {
            config: Config::first_start(),
            path: None,
            problem: Some(Problem::NoConfigDirectory),
        };
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => match parse(&text) {
            Ok(config) => Loaded {
                config,
                path: Some(path),
                problem: None,
            },
            Err(reason) => Loaded {
                config: Config::first_start(),
                problem: Some(Problem::Damaged {
                    path: path.clone(),
                    reason,
                }),
                path: Some(path),
            },
        },
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let config = Config::first_start();
            let problem = save(&path, &config).err().map(|e| Problem::Unusable {
                path: path.clone(),
                reason: e.to_string(),
            });
            Loaded {
                config,
                path: Some(path),
                problem,
            }
        }
        Err(error) => Loaded {
            config: Config::first_start(),
            problem: Some(Problem::Unusable {
                path: path.clone(),
                reason: error.to_string(),
            }),
            path: Some(path),
        },
    }
}

pub fn parse(text: &str) -> Result<Config, String> {
    let file: File = toml::from_str(text).map_err(|e| e.message().to_owned())?;
    let defaults = Config::default();
    let language = match file.client.language {
        Some(code) => {
            Language::from_code(&code).ok_or_else(|| format!("unknown language \"{code}\""))?
        }
        // A file from before languages existed: the OS's language.
        None => Language::of_system(),
    };
    Ok(Config {
        server_url: file
            .client
            .server_url
            .filter(|url| !url.trim().is_empty())
            .unwrap_or(defaults.server_url),
        language,
        notifications: file.client.notifications.unwrap_or(defaults.notifications),
        attention: file.client.attention.unwrap_or(defaults.attention),
    })
}

/// Writes the annotated file with the given values.
pub fn save(path: &Path, config: &Config) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, render(config))
}

/// The template, with the values filled in. Written whole each time: the
/// app owns this file, and the comments stay for whoever opens it.
pub fn render(config: &Config) -> String {
    let url = toml::Value::String(config.server_url.clone());
    let language = toml::Value::String(config.language.code().to_owned());
    format!(
        "# Local Messenger desktop app: your settings on this PC.\n\
         # The app writes this file (Settings tab); you may edit it while the\n\
         # app is closed.\n\
         \n\
         [client]\n\
         # The server to connect to: the address printed in the server's\n\
         # start-up log, e.g. \"http://192.168.1.10:8000\". The login screen\n\
         # changes it, and it is saved here after a successful login.\n\
         server_url = {url}\n\
         # The interface language: \"ru\" (Russian) or \"en\" (English).\n\
         language = {language}\n\
         # A desktop notification for a message in a chat that is not in front.\n\
         notifications = {}\n\
         # The taskbar entry asks for attention for such a message.\n\
         attention = {}\n",
        config.notifications, config.attention
    )
}

/// What the user typed as a server address, made into a base URL:
/// `192.168.1.10:8000` → `http://192.168.1.10:8000`.
pub fn normalize_server_url(input: &str) -> String {
    let trimmed = input.trim().trim_end_matches('/');
    if trimmed.contains("://") {
        trimmed.to_owned()
    } else {
        format!("http://{trimmed}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_created_from_the_template_and_read_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("sub").join("config.toml");
        let loaded = load(Some(path.clone()));
        assert_eq!(loaded.config, Config::first_start());
        assert!(loaded.problem.is_none());
        let text = std::fs::read_to_string(&path).expect("created");
        assert!(text.contains("[client]") && text.contains("# The server to connect to"));
        assert_eq!(parse(&text), Ok(loaded.config));
    }

    #[test]
    fn a_saved_address_survives_a_restart() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        let config = Config {
            server_url: "http://10.0.0.5:8000".into(),
            language: Language::Russian,
            notifications: false,
            attention: true,
        };
        save(&path, &config).expect("saved");
        assert_eq!(load(Some(path)).config, config);
    }

    #[test]
    fn a_broken_file_is_reported_and_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[client]\nserver_url = 5\n").expect("written");
        let loaded = load(Some(path.clone()));
        assert!(matches!(loaded.problem, Some(Problem::Damaged { .. })));
        assert_eq!(
            std::fs::read_to_string(&path).expect("still there"),
            "[client]\nserver_url = 5\n"
        );
    }

    #[test]
    fn the_repository_sample_config_is_a_valid_client_config() {
        let sample = include_str!("../../../config.toml");
        let client_part = &sample[sample.find("[client]").expect("has [client]")..];
        let parsed = parse(client_part).expect("valid");
        assert_eq!(parsed.server_url, DEFAULT_SERVER_URL);
        assert_eq!(parsed.language, Language::Russian);
    }

    #[test]
    fn an_unknown_language_is_a_damaged_file() {
        assert!(parse("[client]\nlanguage = \"fr\"\n").is_err());
        assert_eq!(
            parse("[client]\nlanguage = \"ru\"\n").map(|c| c.language),
            Ok(Language::Russian)
        );
    }

    #[test]
    fn a_bare_address_gets_a_scheme() {
        assert_eq!(
            normalize_server_url(" 10.0.0.5:8000/ "),
            "http://10.0.0.5:8000"
        );
        assert_eq!(normalize_server_url("https://a.school"), "https://a.school");
    }
}
