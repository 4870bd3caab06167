//! The documents stay true of the code. README.md and every Markdown file
//! under docs/ are read as Markdown (links and code as the reader sees
//! them), and what they name is checked against the server itself: the
//! files they link to, the `messenger-server` commands, the settings of
//! `config.toml` and the `MESSENGER_*` variables. The traceability matrix
//! (docs/{en,ru}/traceability.md) must name only tests that exist and give
//! every requirement at least one, so it cannot rot.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use messenger_server::cli::Cli;
use messenger_server::config::ServerConfig;
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use regex::Regex;

/// The workspace's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One Markdown document as the reader sees it.
struct Document {
    /// Relative to the root, for messages.
    name: String,
    path: PathBuf,
    /// The file as it is.
    text: String,
    /// Link and image targets.
    links: Vec<String>,
    /// Inline code spans and the lines of code blocks.
    code: Vec<String>,
    /// The bodies of ```toml blocks.
    toml: Vec<String>,
    /// The table rows, cell by cell (header and body rows alike).
    rows: Vec<Vec<String>>,
}

impl Document {
    fn read(path: PathBuf) -> Document {
        let text = std::fs::read_to_string(&path).expect("a document");
        let name = path
            .strip_prefix(root())
            .unwrap_or(&path)
            .display()
            .to_string();
        let mut document = Document {
            name,
            path,
            text: String::new(),
            links: Vec::new(),
            code: Vec::new(),
            toml: Vec::new(),
            rows: Vec::new(),
        };
        let mut block: Option<(bool, String)> = None;
        let mut row: Option<Vec<String>> = None;
        for event in Parser::new_ext(&text, pulldown_cmark::Options::ENABLE_TABLES) {
            match event {
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    document.links.push(dest_url.to_string());
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let toml =
                        matches!(&kind, CodeBlockKind::Fenced(info) if info.as_ref() == "toml");
                    block = Some((toml, String::new()));
                }
                Event::End(TagEnd::CodeBlock) => {
                    let Some((toml, body)) = block.take() else {
                        continue;
                    };
                    document.code.extend(body.lines().map(str::to_owned));
                    if toml {
                        document.toml.push(body);
                    }
                }
                Event::Text(text) if block.is_some() => {
                    if let Some((_, body)) = block.as_mut() {
                        body.push_str(&text);
                    }
                }
                Event::Start(Tag::TableRow | Tag::TableHead) => row = Some(Vec::new()),
                Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                    document.rows.extend(row.take());
                }
                Event::Start(Tag::TableCell) => row.iter_mut().for_each(|r| r.push(String::new())),
                Event::Code(code) => {
                    document.code.push(code.to_string());
                    if let Some(cell) = row.as_mut().and_then(|r| r.last_mut()) {
                        cell.push('`');
                        cell.push_str(&code);
                        cell.push('`');
                    }
                }
                Event::Text(text) => {
                    if let Some(cell) = row.as_mut().and_then(|r| r.last_mut()) {
                        cell.push_str(&text);
                    }
                }
                _ => {}
            }
        }
        document.text = text;
        document
    }
}

/// Every file under `path` (or the file itself) whose name ends in
/// `.extension`, in a stable order.
fn files_under(path: &Path, extension: &str) -> Vec<PathBuf> {
    fn walk(path: &Path, extension: &str, into: &mut Vec<PathBuf>) {
        if path.is_dir() {
            for entry in std::fs::read_dir(path).expect("a folder") {
                walk(&entry.expect("an entry").path(), extension, into);
            }
        } else if path.extension().is_some_and(|e| e == extension) {
            into.push(path.to_owned());
        }
    }
    let mut files = Vec::new();
    walk(path, extension, &mut files);
    files.sort();
    files
}

/// README.md and every Markdown file under docs/.
fn documents() -> Vec<Document> {
    let mut paths = vec![root().join("README.md")];
    paths.extend(files_under(&root().join("docs"), "md"));
    paths.into_iter().map(Document::read).collect()
}

fn document(name: &str) -> Document {
    Document::read(root().join(name))
}

#[test]
fn every_relative_link_in_the_documents_resolves() {
    let mut broken = Vec::new();
    for document in documents() {
        for link in &document.links {
            let external = link.contains("://") || link.starts_with("mailto:");
            let target = link.split('#').next().unwrap_or_default();
            if external || target.is_empty() {
                continue;
            }
            let path = document.path.parent().expect("a folder").join(target);
            if !path.exists() {
                broken.push(format!("{}: {link}", document.name));
            }
        }
    }
    assert!(broken.is_empty(), "links to nothing: {broken:#?}");
}

/// The word after `messenger-server` in a command line, past its options
/// and their values: the subcommand it runs, if any.
fn subcommand_in(line: &str) -> Option<String> {
    let program = Regex::new(r"(?:^|[\s/])messenger-server(?:\s|$)").expect("a pattern");
    let start = program.find(line)?.end();
    let mut words = line[start..].split_whitespace();
    while let Some(word) = words.next() {
        match word {
            "--" => continue,
            "--help" | "-h" | "--version" | "-V" | "\\" => continue,
            option if option.starts_with('-') => {
                if !option.contains('=') {
                    words.next(); // the option's value
                }
            }
            command => {
                let is_word = command.chars().all(|c| c.is_ascii_lowercase() || c == '-');
                return is_word.then(|| command.to_owned());
            }
        }
    }
    None
}

#[test]
fn the_documents_name_only_commands_the_server_has() {
    let cli = <Cli as CommandFactory>::command();
    let commands: BTreeSet<String> = cli
        .get_subcommands()
        .map(|command| command.get_name().to_owned())
        .collect();
    assert!(commands.contains("backup") && commands.contains("serve"));
    let mut unknown = Vec::new();
    for document in documents() {
        for line in &document.code {
            if let Some(command) = subcommand_in(line)
                && !commands.contains(&command)
            {
                unknown.push(format!("{}: `{line}`", document.name));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "commands messenger-server does not have ({commands:?}): {unknown:#?}"
    );
}

#[test]
fn the_documents_name_only_settings_the_config_file_has() {
    let mut wrong = Vec::new();
    let key = Regex::new(r"^\[([a-z_.]+)\]\s+([a-z_]+)(\s*=.*)?$").expect("a pattern");
    for document in documents() {
        for block in &document.toml {
            if let Err(error) = ServerConfig::from_toml(block) {
                wrong.push(format!("{}: {block}\n{error}", document.name));
            }
        }
        for span in &document.code {
            let Some(found) = key.captures(span.trim()) else {
                continue;
            };
            let (section, name) = (&found[1], &found[2]);
            // With its value the span is a setting as written; without, a
            // value of the wrong type still tells a known key (a type
            // error) from an unknown one.
            let text = match found.get(3) {
                Some(value) => format!("[{section}]\n{name}{}", value.as_str()),
                None => format!("[{section}]\n{name} = []"),
            };
            if let Err(error) = ServerConfig::from_toml(&text) {
                let message = error.to_string();
                if found.get(3).is_some() || message.contains("unknown field") {
                    wrong.push(format!("{}: `{span}`: {message}", document.name));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "settings the server would refuse: {wrong:#?}"
    );
}

#[test]
fn the_documents_name_only_variables_the_programs_read_and_the_guides_name_them_all() {
    let cli = <Cli as CommandFactory>::command();
    let read_by_server: BTreeSet<String> = cli
        .get_arguments()
        .filter_map(|argument| argument.get_env())
        .map(|name| name.to_string_lossy().into_owned())
        .collect();
    assert!(read_by_server.contains("MESSENGER_DATABASE_URL"));

    // Variables of the app and of the tests are read in their source.
    let source = rust_source(&["desktop-client", "testing", "server/build.rs"]);
    let variable = Regex::new(r"MESSENGER_[A-Z_]*[A-Z]").expect("a pattern");
    let mut unknown = BTreeSet::new();
    for document in documents() {
        for name in variable.find_iter(&document.text).map(|m| m.as_str()) {
            if !read_by_server.contains(name) && !source.contains(name) {
                unknown.insert(format!("{}: {name}", document.name));
            }
        }
    }
    assert!(unknown.is_empty(), "variables nothing reads: {unknown:#?}");

    for guide in ["docs/en/operations.md", "docs/ru/operations.md"] {
        let text = document(guide).text;
        let missing: Vec<_> = read_by_server
            .iter()
            .filter(|name| !text.contains(*name))
            .collect();
        assert!(missing.is_empty(), "{guide} leaves out {missing:?}");
    }
}

/// The text of every `.rs` file under these paths of the workspace.
fn rust_source(paths: &[&str]) -> String {
    paths
        .iter()
        .flat_map(|path| files_under(&root().join(path), "rs"))
        .map(|file| std::fs::read_to_string(file).expect("a source file"))
        .collect()
}

/// Every test function of the workspace, by name: `#[test]` (proptest's
/// too), `#[actix_web::test]`, `#[tokio::test…]`.
fn test_functions() -> BTreeSet<String> {
    let source = rust_source(&["server", "desktop-client", "shared", "loadtest", "testing"]);
    let test = Regex::new(
        r"(?m)^\s*#\[(?:test|actix_web::test|tokio::test[^\]]*)\]\s*\n(?:\s*#\[[^\]]*\]\s*\n)*\s*(?:async\s+)?fn\s+([a-z0-9_]+)",
    )
    .expect("a pattern");
    test.captures_iter(&source)
        .map(|c| c[1].to_owned())
        .collect()
}

/// A requirement's id: BR-01, FR-MSG-03, NFR-SEC-02.
fn requirement_id() -> Regex {
    Regex::new(r"^(?:BR|FR|NFR)(?:-[A-Z0-9]+)*-\d{2}$").expect("a pattern")
}

/// The requirements a document states: table rows whose first cell is an
/// id, with the rest of the row.
fn requirements(document: &Document) -> BTreeMap<String, Vec<String>> {
    let id = requirement_id();
    document
        .rows
        .iter()
        .filter(|row| row.first().is_some_and(|cell| id.is_match(cell.trim())))
        .map(|row| (row[0].trim().to_owned(), row[1..].to_vec()))
        .collect()
}

/// The tests a matrix row names: the code spans of its last cell.
fn named_tests(cells: &[String]) -> Vec<String> {
    let span = Regex::new(r"`([a-z0-9_:]+)`").expect("a pattern");
    let last = cells.last().map(String::as_str).unwrap_or("");
    span.captures_iter(last)
        .filter_map(|c| c[1].rsplit("::").next().map(str::to_owned))
        .collect()
}

#[test]
fn the_traceability_matrix_names_real_tests_and_covers_every_requirement() {
    let tests = test_functions();
    assert!(
        tests.len() > 400,
        "found only {} tests: is the pattern right?",
        tests.len()
    );

    let mut matrices = Vec::new();
    for language in ["en", "ru"] {
        let mut stated = BTreeSet::new();
        for name in ["business-requirements.md", "technical-specification.md"] {
            let document = document(&format!("docs/{language}/{name}"));
            let found = requirements(&document);
            assert!(
                !found.is_empty(),
                "{} states no requirements",
                document.name
            );
            stated.extend(found.into_keys());
        }
        let matrix = document(&format!("docs/{language}/traceability.md"));
        let rows = requirements(&matrix);
        let traced: BTreeMap<String, Vec<String>> = rows
            .iter()
            .map(|(id, cells)| (id.clone(), named_tests(cells)))
            .collect();

        let untraced: Vec<_> = stated
            .iter()
            .filter(|id| !traced.contains_key(*id))
            .collect();
        assert!(
            untraced.is_empty(),
            "{}: requirements missing from the matrix: {untraced:?}",
            matrix.name
        );
        let unstated: Vec<_> = traced.keys().filter(|id| !stated.contains(*id)).collect();
        assert!(
            unstated.is_empty(),
            "{}: rows for requirements nobody states: {unstated:?}",
            matrix.name
        );
        let bare: Vec<_> = traced
            .iter()
            .filter(|(_, t)| t.is_empty())
            .map(|(id, _)| id)
            .collect();
        assert!(
            bare.is_empty(),
            "{}: requirements without a test: {bare:?}",
            matrix.name
        );
        let missing: BTreeSet<_> = traced
            .values()
            .flatten()
            .filter(|t| !tests.contains(*t))
            .collect();
        assert!(
            missing.is_empty(),
            "{}: tests that do not exist: {missing:?}",
            matrix.name
        );

        let distinct: BTreeSet<_> = traced.values().flatten().collect();
        assert!(
            traced.len() >= 60,
            "{}: {} requirements, at least 60 expected",
            matrix.name,
            traced.len()
        );
        assert!(
            distinct.len() >= 100,
            "{}: {} tests named, at least 100 expected",
            matrix.name,
            distinct.len()
        );
        matrices.push(traced);
    }
    assert_eq!(
        matrices[0], matrices[1],
        "the English and Russian matrices differ"
    );
}

#[test]
fn the_subcommand_is_read_past_options_and_their_values() {
    assert_eq!(
        subcommand_in("messenger-server backup --out x.db").as_deref(),
        Some("backup")
    );
    assert_eq!(
        subcommand_in("sudo -u local-messenger messenger-server --config /etc/x.toml restore f")
            .as_deref(),
        Some("restore")
    );
    assert_eq!(
        subcommand_in("cargo run --release -p messenger-server").as_deref(),
        None
    );
    assert_eq!(
        subcommand_in("cargo run -p messenger-server -- openapi").as_deref(),
        Some("openapi")
    );
    assert_eq!(subcommand_in("apt remove local-messenger-server"), None);
    assert_eq!(subcommand_in("messenger-server --help"), None);
}
