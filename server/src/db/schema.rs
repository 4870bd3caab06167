//! The tables as diesel sees them. Kept by hand in step with `migrations/`;
//! the migration test checks that the two agree.

diesel::table! {
    roles (id) {
        id -> BigInt,
        name -> Text,
        description -> Text,
        builtin -> Bool,
    }
}

diesel::table! {
    permissions (id) {
        id -> BigInt,
        code -> Text,
        description -> Text,
    }
}

diesel::table! {
    role_permissions (role_id, permission_id) {
        role_id -> BigInt,
        permission_id -> BigInt,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        display_name -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        password_hash -> Text,
        role_id -> BigInt,
        active -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        user_id -> BigInt,
        created_at -> BigInt,
        expires_at -> BigInt,
        revoked_at -> Nullable<BigInt>,
        ip -> Text,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        login -> Text,
        success -> Bool,
        failure -> Nullable<Text>,
        ip -> Text,
        user_agent -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::joinable!(role_permissions -> roles (role_id));
diesel::joinable!(role_permissions -> permissions (permission_id));
diesel::joinable!(users -> roles (role_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(login_attempts -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    roles,
    permissions,
    role_permissions,
    users,
    sessions,
    login_attempts,
);
