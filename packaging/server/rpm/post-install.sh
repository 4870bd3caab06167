# The server's account and data directory, then the service known to
# systemd (enabled or not as the distribution's presets say, as RPM
# distributions do for services).
systemd-sysusers local-messenger.conf || :
systemd-tmpfiles --create local-messenger.conf || :
systemctl daemon-reload >/dev/null 2>&1 || :
if [ "$1" -eq 1 ]; then
    systemctl preset local-messenger.service >/dev/null 2>&1 || :
fi
