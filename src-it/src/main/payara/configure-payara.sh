#!/usr/bin/env bash
# Configures a fresh Payara Server 6 domain for the event store tests: the PostgreSQL driver in the domain's lib,
# a JTA connection pool, and that pool behind jdbc/__default (java:comp/DefaultDataSource); an XA pool and a queue
# for the two-phase commit tests; and the console's two demo users in the file realm (local use and tests only).
# Idempotent, each part on its own.
# Database: EVENTSTORE_DB_HOST / _PORT / _NAME / _USER / _PASSWORD, default the local postgres database.
set -euo pipefail
payara_home=$1
driver=$2
asadmin() { "$payara_home/bin/asadmin" "$@"; }
marker="$payara_home/glassfish/domains/domain1/.eventstore-configured"
users_marker="$payara_home/glassfish/domains/domain1/.eventstore-console-users"
[ -f "$marker" ] && [ -f "$users_marker" ] && exit 0

[ -f "$marker" ] || cp "$driver" "$payara_home/glassfish/domains/domain1/lib/"
asadmin start-domain domain1
trap 'asadmin stop-domain domain1 >/dev/null' EXIT
if [ ! -f "$marker" ]; then
  asadmin create-jdbc-connection-pool \
    --datasourceclassname org.postgresql.ds.PGSimpleDataSource --restype javax.sql.DataSource \
    --property "serverName=${EVENTSTORE_DB_HOST:-localhost}:portNumber=${EVENTSTORE_DB_PORT:-5432}:databaseName=${EVENTSTORE_DB_NAME:-postgres}:user=${EVENTSTORE_DB_USER:-postgres}:password=${EVENTSTORE_DB_PASSWORD:-postgres}" \
    EventStorePool
  asadmin set resources.jdbc-resource.jdbc/__default.pool-name=EventStorePool
  asadmin ping-connection-pool EventStorePool
  # Appends notify this channel (auto mode: after commit on a server with prepared transactions).
  asadmin create-system-properties eventstore.notify-channel=eventstore_it
  # The two-phase commit tests (XaJmsInContainerIT): the store on an XA pool, sending to a queue of the broker (OpenMQ,
  # embedded) in the same transaction. docs/xa-and-jms.md shows these lines; DocSnippetsTest keeps them equal.
  # doc: payara-xa begins
  asadmin create-jdbc-connection-pool \
    --datasourceclassname org.postgresql.xa.PGXADataSource --restype javax.sql.XADataSource \
    --property "serverName=${EVENTSTORE_DB_HOST:-localhost}:portNumber=${EVENTSTORE_DB_PORT:-5432}:databaseName=${EVENTSTORE_DB_NAME:-postgres}:user=${EVENTSTORE_DB_USER:-postgres}:password=${EVENTSTORE_DB_PASSWORD:-postgres}" \
    EventStoreXAPool
  asadmin create-jdbc-resource --connectionpoolid EventStoreXAPool jdbc/eventstore-xa
  asadmin set configs.config.server-config.transaction-service.automatic-recovery=true
  asadmin create-jmsdest --desttype queue eventstore_it_xa
  # doc: payara-xa ends
  asadmin ping-connection-pool EventStoreXAPool
  touch "$marker"
fi
if [ ! -f "$users_marker" ]; then
  # The console's demo users; the groups are mapped to the console's roles by its glassfish-web.xml.
  passwords=$(mktemp)
  printf 'AS_ADMIN_USERPASSWORD=Viewer-demo-1\n' > "$passwords"
  asadmin create-file-user --groups eventstore-viewer --passwordfile "$passwords" viewer
  printf 'AS_ADMIN_USERPASSWORD=Operator-demo-1\n' > "$passwords"
  asadmin create-file-user --groups eventstore-operator --passwordfile "$passwords" operator
  rm -f "$passwords"
  touch "$users_marker"
fi
