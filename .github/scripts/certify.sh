#!/usr/bin/env bash
# The conformance action's certify step (action.yml): fetch the released runner, certify, and tell the CI run what
# happened — the job summary (reports/summary.md), one annotation per failed scenario, and the outputs. It always
# exits 0 so the reports can be uploaded; the action's last step exits with the gate's code (output exit-code).
# Inputs arrive as INPUT_* variables; secrets (CONFORMANCE_DB_URL, CONFORMANCE_SERVICE_KEY, …) as the caller's env.
set -uo pipefail

work="${RUNNER_TEMP:-$(mktemp -d)}/conformance-runner"
mkdir -p "$work"
reports="${INPUT_REPORTS:-conformance-reports}"

say_output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1=$2" >> "$GITHUB_OUTPUT"; fi
}

cannot_run() {
  echo "::error title=conformance::$1"
  say_output exit-code 2
  say_output verdict error
  exit 0
}

zip="${INPUT_ZIP:-}"
if [ -z "$zip" ]; then
  version="${INPUT_VERSION:-}"
  [ -n "$version" ] || cannot_run "no runner: set the action's version input, or use it at a release tag"
  [ -n "${ACTION_REPOSITORY:-}" ] || cannot_run "no runner: the action's repository is unknown"
  gh release download "$version" --repo "$ACTION_REPOSITORY" --pattern 'conformance-*.zip' \
    --pattern 'conformance-*.zip.sha256' --dir "$work" --clobber \
    || cannot_run "could not download the runner of release $version"
  zip=$(ls "$work"/conformance-*.zip | head -1)
  (cd "$work" && sha256sum --check --quiet "$(basename "$zip").sha256") \
    || cannot_run "the runner's SHA-256 does not match its release"
fi
[ -f "$zip" ] || cannot_run "no runner zip at $zip"
unzip -q -o "$zip" -d "$work" || cannot_run "could not unpack $zip"
runner=$(ls -d "$work"/conformance-*/ | head -1)

# the database URL carries a password: it reaches the runner through the environment, never its command line
if [ -n "${INPUT_DB_URL:-}" ]; then export CONFORMANCE_DB_URL="$INPUT_DB_URL"; fi
args=(certify --reports "$reports")
[ -n "${INPUT_TARGET_URL:-}" ] && args+=(--target-url "$INPUT_TARGET_URL")
[ -n "${INPUT_AUTH_URL:-}" ] && args+=(--auth-url "$INPUT_AUTH_URL")
[ -n "${INPUT_MOCK_URL:-}" ] && args+=(--mock-url "$INPUT_MOCK_URL")
[ -n "${INPUT_PROFILE:-}" ] && args+=(--profile "$INPUT_PROFILE")
[ "${INPUT_EXTENDED:-false}" = "true" ] && args+=(--extended)
[ -n "${INPUT_ONLY:-}" ] && args+=(--only "$INPUT_ONLY")
[ -n "${INPUT_EXCLUDE:-}" ] && args+=(--exclude "$INPUT_EXCLUDE")
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")

"$runner/bin/conformance" "${args[@]}"
code=$?

[ -f "$reports/annotations.txt" ] && cat "$reports/annotations.txt"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$reports/summary.md" ]; then
  cat "$reports/summary.md" >> "$GITHUB_STEP_SUMMARY"
fi
case "$code" in
  0) verdict=passed ;;
  1) verdict=failed ;;
  *) verdict=error ;;
esac
say_output exit-code "$code"
say_output verdict "$verdict"
say_output reports "$reports"
exit 0
