# Removed, not upgraded: stop the service first. The data and the account
# stay; deleting them is left to the administrator (rm -r /var/lib/local-messenger, userdel local-messenger).
if [ "$1" -eq 0 ]; then
    systemctl --no-reload disable --now local-messenger.service >/dev/null 2>&1 || :
fi
