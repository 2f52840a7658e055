# shellcheck shell=bash
# Writes a script's section into bench/RESULTS.md. Sourced by the bench scripts.

# write_section NAME SECTION_FILE: replaces the lines from "<!-- NAME:begin" to "<!-- NAME:end -->" of
# bench/RESULTS.md with SECTION_FILE (which holds both markers), or appends it when the file has no such section.
write_section() {
  local name=$1 section=$2 results
  results="$(dirname "${BASH_SOURCE[0]}")/RESULTS.md"
  if [[ ! -f "$results" ]]; then
    printf '# Benchmark results\n\nWritten by the scripts in bench/; see each section for the command line.\n\n' \
      > "$results"
  fi
  if grep -q "<!-- $name:begin" "$results"; then
    awk -v section="$section" -v begin="<!-- $name:begin" -v end="<!-- $name:end -->" '
      index($0, begin) == 1 { while ((getline line < section) > 0) print line; skip = 1; next }
      index($0, end) == 1 { skip = 0; next }
      !skip { print }' "$results" > "$section.results"
    cp "$section.results" "$results"
    rm -f "$section.results"
  else
    printf '\n' >> "$results"
    cat "$section" >> "$results"
  fi
}
