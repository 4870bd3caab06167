//! The tables as diesel sees them. Kept by hand in step with both
//! `migrations/sqlite/` and `migrations/postgres/`; the migration tests
//! check that each engine's schema agrees (`assert_schema_matches_diesel`).

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
        last_seen_at -> Nullable<BigInt>,
        disabled_reason -> Nullable<Text>,
        avatar_version -> Nullable<BigInt>,
        must_change_password -> Bool,
    }
}

diesel::table! {
    settings (name) {
        name -> Text,
        value -> Text,
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
        login -> Nullable<Text>,
        login_hash -> Nullable<Text>,
        success -> Bool,
        failure -> Nullable<Text>,
        attempts -> BigInt,
        ip -> Text,
        user_agent -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    attachments (id) {
        id -> BigInt,
        uploader_id -> BigInt,
        mime -> Text,
        size -> BigInt,
        width -> Integer,
        height -> Integer,
        thumb_mime -> Text,
        thumb_width -> Integer,
        thumb_height -> Integer,
        created_at -> BigInt,
        original -> Binary,
        thumbnail -> Binary,
    }
}

diesel::table! {
    messages (id) {
        id -> BigInt,
        sender_id -> BigInt,
        recipient_id -> BigInt,
        user_low -> BigInt,
        user_high -> BigInt,
        client_id -> Text,
        body -> Text,
        attachment_id -> Nullable<BigInt>,
        created_at -> BigInt,
        deleted_at -> Nullable<BigInt>,
        deleted_by -> Nullable<BigInt>,
        sender_event_id -> Nullable<BigInt>,
        group_id -> Nullable<BigInt>,
        file_id -> Nullable<BigInt>,
        file_name -> Nullable<Text>,
        file_size -> Nullable<BigInt>,
        file_mime -> Nullable<Text>,
        reply_to -> Nullable<BigInt>,
        reply_sender -> Nullable<BigInt>,
        reply_text -> Nullable<Text>,
        forwarded_from -> Nullable<BigInt>,
        forwarded_at -> Nullable<BigInt>,
        edited_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    message_versions (id) {
        id -> BigInt,
        message_id -> BigInt,
        body -> Text,
        written_at -> BigInt,
    }
}

diesel::table! {
    files (id) {
        id -> BigInt,
        uploader_id -> BigInt,
        name -> Text,
        size -> BigInt,
        mime -> Text,
        sha256 -> Text,
        created_at -> BigInt,
        sent -> Bool,
    }
}

diesel::table! {
    conversations (user_id, peer_id) {
        user_id -> BigInt,
        peer_id -> BigInt,
        last_message_id -> Nullable<BigInt>,
        activity_id -> BigInt,
        unread_count -> Integer,
        read_up_to -> Nullable<BigInt>,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        peer_id -> BigInt,
        kind -> Integer,
        message_id -> BigInt,
        reader_id -> Nullable<BigInt>,
        created_at -> BigInt,
        group_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    event_streams (id) {
        id -> Integer,
        messages_from -> BigInt,
    }
}

diesel::table! {
    chat_groups (id) {
        id -> BigInt,
        title -> Text,
        posting -> Integer,
        class_name -> Nullable<Text>,
        created_by -> Nullable<BigInt>,
        created_at -> BigInt,
        last_message_id -> Nullable<BigInt>,
        activity_id -> BigInt,
        deleted_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    group_members (group_id, user_id) {
        group_id -> BigInt,
        user_id -> BigInt,
        owner -> Bool,
        read_up_to -> Nullable<BigInt>,
        muted -> Bool,
        joined_at -> BigInt,
    }
}

diesel::table! {
    avatars (user_id) {
        user_id -> BigInt,
        version -> BigInt,
        mime -> Text,
        image -> Binary,
        thumbnail -> Binary,
        updated_at -> BigInt,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        sender_id -> Nullable<BigInt>,
        audience -> Integer,
        recipient_id -> Nullable<BigInt>,
        role_id -> Nullable<BigInt>,
        role_name -> Nullable<Text>,
        up_to_user -> BigInt,
        title -> Text,
        body -> Text,
        important -> Bool,
        created_at -> BigInt,
    }
}

diesel::table! {
    notification_reads (user_id, notification_id) {
        user_id -> BigInt,
        notification_id -> BigInt,
        read_at -> BigInt,
    }
}

diesel::table! {
    role_changes (id) {
        id -> BigInt,
        user_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        from_role_id -> BigInt,
        from_role -> Text,
        to_role_id -> BigInt,
        to_role -> Text,
        reason -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        target_id -> Nullable<BigInt>,
        details -> Text,
        ip -> Text,
        created_at -> BigInt,
    }
}

diesel::joinable!(messages -> attachments (attachment_id));
diesel::joinable!(message_versions -> messages (message_id));
diesel::joinable!(files -> users (uploader_id));
diesel::joinable!(role_permissions -> roles (role_id));
diesel::joinable!(role_permissions -> permissions (permission_id));
diesel::joinable!(users -> roles (role_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(login_attempts -> users (user_id));
diesel::joinable!(notification_reads -> notifications (notification_id));
diesel::joinable!(group_members -> chat_groups (group_id));
diesel::joinable!(group_members -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    roles,
    permissions,
    role_permissions,
    users,
    sessions,
    login_attempts,
    attachments,
    messages,
    conversations,
    events,
    event_streams,
    role_changes,
    audit_log,
    avatars,
    notifications,
    notification_reads,
    chat_groups,
    group_members,
    files,
    message_versions,
);
