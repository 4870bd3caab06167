# Upgraded: the new server takes over (it brings the database up to date
# as it starts).
systemctl daemon-reload >/dev/null 2>&1 || :
if [ "$1" -ge 1 ]; then
    systemctl try-restart local-messenger.service >/dev/null 2>&1 || :
fi
