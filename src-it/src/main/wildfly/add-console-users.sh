#!/usr/bin/env bash
# The console's two demo users in WildFly's ApplicationRealm (the "other" application security domain that secures a
# deployment's web.xml constraints). For local use and the tests only: never use these passwords on a real server.
# Idempotent. Usage: add-console-users.sh JBOSS_HOME
set -euo pipefail
jboss_home=$1
users="$jboss_home/standalone/configuration/application-users.properties"
add() {
  grep -q "^$1=" "$users" 2>/dev/null && return 0
  JBOSS_HOME="$jboss_home" "$jboss_home/bin/add-user.sh" -a -s -u "$1" -p "$2" -g "$3"
}
add viewer Viewer-demo-1 eventstore-viewer
add operator Operator-demo-1 eventstore-operator
