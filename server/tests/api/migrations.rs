//! Every migration's `down.sql` undoes its `up.sql`.

use diesel::prelude::*;
use diesel_migrations::MigrationHarness;
use messenger_server::db::SQLITE_MIGRATIONS;

#[derive(QueryableByName, PartialEq, Eq, Debug)]
struct SchemaObject {
    #[diesel(sql_type = diesel::sql_types::Text)]
    kind: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    sql: Option<String>,
}

fn schema(conn: &mut SqliteConnection) -> Vec<SchemaObject> {
    diesel::sql_query(
        "SELECT type AS kind, name, sql FROM sqlite_master \
         WHERE name NOT LIKE '__diesel%' AND name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )
    .load(conn)
    .expect("schema")
}

#[test]
fn down_reverts_up_and_up_again_gives_the_same_schema() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("m.db");
    let mut conn = SqliteConnection::establish(path.to_str().expect("utf-8")).expect("open");

    conn.run_pending_migrations(SQLITE_MIGRATIONS).expect("up");
    let migrated = schema(&mut conn);
    assert!(migrated.iter().any(|o| o.name == "users"));

    conn.revert_all_migrations(SQLITE_MIGRATIONS).expect("down");
    assert_eq!(
        schema(&mut conn),
        Vec::new(),
        "down.sql leaves nothing behind"
    );

    conn.run_pending_migrations(SQLITE_MIGRATIONS)
        .expect("up again");
    assert_eq!(schema(&mut conn), migrated);
}

/// `db/schema.rs` is written by hand: every column it names must exist in
/// the migrated database with a type that loads into the declared one.
#[test]
fn the_diesel_schema_matches_the_migrations() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("m.db");
    let mut conn = SqliteConnection::establish(path.to_str().expect("utf-8")).expect("open");
    conn.run_pending_migrations(SQLITE_MIGRATIONS).expect("up");
    // The searches compare text with the server's own function, as every
    // connection the server opens has it.
    messenger_server::db::casefold::register(&mut conn).expect("casefold");

    crate::common::assert_schema_matches_diesel(&mut messenger_server::db::Conn::Sqlite(conn));
}

/// A school that made its own "Teacher" role before school mode keeps it,
/// with its holders, and it gains what teachers need.
#[test]
fn a_teacher_role_made_by_hand_becomes_the_built_in_one() {
    use diesel::migration::MigrationSource;
    use diesel::sqlite::Sqlite;
    use messenger_server::db::roles;
    use messenger_shared::ids::RoleId;
    use messenger_shared::permission::Permission;

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("m.db");
    let mut conn = SqliteConnection::establish(path.to_str().expect("utf-8")).expect("open");
    let all = MigrationSource::<Sqlite>::migrations(&SQLITE_MIGRATIONS).expect("migrations");
    let at = all
        .iter()
        .position(|m| m.name().to_string().contains("school_mode"))
        .expect("the school mode migration");
    let (before, rest) = all.split_at(at);
    let school_mode = &rest[0];
    // (Asking sets up diesel's own table of applied migrations.)
    assert!(
        conn.has_pending_migration(SQLITE_MIGRATIONS)
            .expect("pending")
    );
    for migration in before {
        conn.run_migration(migration).expect("earlier migration");
    }
    diesel::sql_query("INSERT INTO roles (id, name, description) VALUES (9, 'teacher', 'ours')")
        .execute(&mut conn)
        .expect("a role of the school's own");
    conn.run_migration(school_mode).expect("school mode");
    let mut conn = messenger_server::db::Conn::Sqlite(conn);

    let teacher = roles::find_by_name(&mut conn, "Teacher")
        .expect("query")
        .expect("the role");
    assert_eq!(teacher.id, 9, "the same role, not a second one");
    assert!(teacher.builtin);
    let granted = roles::permissions_of(&mut conn, RoleId(9)).expect("permissions");
    for permission in [
        Permission::MessageStartAny,
        Permission::NotificationSend,
        Permission::ReportView,
    ] {
        assert!(granted.contains(&permission), "{permission}");
    }
    assert!(!granted.contains(&Permission::RoleManage));
    for role in [1, 2] {
        assert!(
            roles::grants(&mut conn, RoleId(role), Permission::MessageStartAny).expect("query")
        );
    }
    assert!(!roles::grants(&mut conn, RoleId(3), Permission::MessageStartAny).expect("query"));
}
