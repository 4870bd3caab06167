// The migrations are embedded into the binary; rebuild when they change.
// `MESSENGER_TEST_POSTGRES_URL` turns on the API suite's second run, on
// PostgreSQL (`tests/api/postgres.rs`).
fn main() {
    println!("cargo:rerun-if-changed=../migrations/sqlite");
    println!("cargo:rerun-if-changed=../migrations/postgres");
    println!("cargo:rerun-if-env-changed=MESSENGER_TEST_POSTGRES_URL");
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    let named =
        std::env::var("MESSENGER_TEST_POSTGRES_URL").is_ok_and(|url| !url.trim().is_empty());
    if named {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
