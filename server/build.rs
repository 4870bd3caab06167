// The migrations are embedded into the binary; rebuild when they change.
// `MESSENGER_TEST_POSTGRES_URL` turns on the API suite's second run, on
// PostgreSQL (`tests/api/postgres.rs`), and with `MESSENGER_TEST_NATS_URL`
// also the cluster test (`tests/api/cluster.rs`).
fn main() {
    println!("cargo:rerun-if-changed=../migrations/sqlite");
    println!("cargo:rerun-if-changed=../migrations/postgres");
    println!("cargo:rerun-if-env-changed=MESSENGER_TEST_POSTGRES_URL");
    println!("cargo:rerun-if-env-changed=MESSENGER_TEST_NATS_URL");
    println!("cargo::rustc-check-cfg=cfg(postgres_tests, cluster_tests)");
    let named = |variable: &str| std::env::var(variable).is_ok_and(|url| !url.trim().is_empty());
    if named("MESSENGER_TEST_POSTGRES_URL") {
        println!("cargo::rustc-cfg=postgres_tests");
        // The cluster runs on PostgreSQL too.
        if named("MESSENGER_TEST_NATS_URL") {
            println!("cargo::rustc-cfg=cluster_tests");
        }
    }
}
