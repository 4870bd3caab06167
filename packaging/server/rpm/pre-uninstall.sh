# Removed, not upgraded: stop the service first. The data and the account
# stay (docs/installation.md says how to delete them).
if [ "$1" -eq 0 ]; then
    systemctl --no-reload disable --now local-messenger.service >/dev/null 2>&1 || :
fi
