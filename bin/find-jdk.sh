#!/usr/bin/env bash
# Sourced by .ci/run and ./simulate: exports JAVA_HOME pointing at a JDK >= 21, or fails saying how to get one.
# Order: $JAVA_HOME, then the java on PATH, then every JDK under /usr/lib/jvm (newest first).

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1
}

find_jdk() {
  local candidates=() dir
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  while IFS= read -r dir; do candidates+=("$dir"); done < <(find /usr/lib/jvm -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort -Vr)
  for dir in "${candidates[@]}"; do
    if [ -x "$dir/bin/javac" ] && [ "$(java_major "$dir")" -ge 21 ] 2>/dev/null; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if ! JAVA_HOME=$(find_jdk); then
  echo "error: MaroonedPods needs a JDK >= 21 (javac included): set JAVA_HOME or install one under /usr/lib/jvm" >&2
  # shellcheck disable=SC2317  # exit is reached when the file is run instead of sourced
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
