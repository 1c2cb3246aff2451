#!/usr/bin/env bash
# Configures a fresh Payara Server 6 domain for the event store tests: the PostgreSQL driver in the domain's lib,
# a JTA connection pool, and that pool behind jdbc/__default (java:comp/DefaultDataSource); and the console's two demo
# users in the file realm (local use and tests only). Idempotent, each part on its own.
# Database: EVENTSTORE_DB_HOST / _PORT / _NAME / _USER / _PASSWORD, default the local postgres database.
set -euo pipefail
payara_home=$1
driver=$2
asadmin="$payara_home/bin/asadmin"
marker="$payara_home/glassfish/domains/domain1/.eventstore-configured"
users_marker="$payara_home/glassfish/domains/domain1/.eventstore-console-users"
[ -f "$marker" ] && [ -f "$users_marker" ] && exit 0

[ -f "$marker" ] || cp "$driver" "$payara_home/glassfish/domains/domain1/lib/"
"$asadmin" start-domain domain1
trap '"$asadmin" stop-domain domain1 >/dev/null' EXIT
if [ ! -f "$marker" ]; then
  "$asadmin" create-jdbc-connection-pool \
    --datasourceclassname org.postgresql.ds.PGSimpleDataSource --restype javax.sql.DataSource \
    --property "serverName=${EVENTSTORE_DB_HOST:-localhost}:portNumber=${EVENTSTORE_DB_PORT:-5432}:databaseName=${EVENTSTORE_DB_NAME:-postgres}:user=${EVENTSTORE_DB_USER:-postgres}:password=${EVENTSTORE_DB_PASSWORD:-postgres}" \
    EventStorePool
  "$asadmin" set resources.jdbc-resource.jdbc/__default.pool-name=EventStorePool
  "$asadmin" ping-connection-pool EventStorePool
  # Appends notify this channel (auto mode: inside the transaction on a server without prepared transactions).
  "$asadmin" create-system-properties eventstore.notify-channel=eventstore_it
  touch "$marker"
fi
if [ ! -f "$users_marker" ]; then
  # The console's demo users; the groups are mapped to the console's roles by its glassfish-web.xml.
  passwords=$(mktemp)
  printf 'AS_ADMIN_USERPASSWORD=Viewer-demo-1\n' > "$passwords"
  "$asadmin" create-file-user --groups eventstore-viewer --passwordfile "$passwords" viewer
  printf 'AS_ADMIN_USERPASSWORD=Operator-demo-1\n' > "$passwords"
  "$asadmin" create-file-user --groups eventstore-operator --passwordfile "$passwords" operator
  rm -f "$passwords"
  touch "$users_marker"
fi
