#!/usr/bin/env bash
# The life of a case, against a server started with
#   BOOTSTRAP_ADMIN_EMAIL=admin@example.org BOOTSTRAP_ADMIN_PASSWORD='choose-a-long-password' npm start
# Needs curl and jq. Every person and agency here is fictional. It can be run
# again and again: each run makes its own agency and people (named with the
# run's time, as e-mails and agency names are unique) and its own case. A
# step the API refuses stops the walk, printing the request and the problem
# the API answered (test/walkthrough.e2e-spec.ts runs it twice in a row).
set -euo pipefail
API=${API:-http://localhost:3000/api}
RUN=${RUN:-$(date +%Y%m%d%H%M%S)-$$}
json=(-H 'Content-Type: application/json')

# api METHOD PATH [curl options]: the answer's body; any status of 400 or more
# (but the one in $EXPECT) stops the walk with the problem on stderr.
api() {
  local method=$1 path=$2 answer status
  shift 2
  answer=$(curl -sS -X "$method" "$API$path" -w '\n%{http_code}' "$@") || {
    echo "walkthrough: $method $path: no answer from $API" >&2
    exit 1
  }
  status=${answer##*$'\n'}
  answer=${answer%$'\n'*}
  if [ "$status" -ge 400 ] && [ "$status" != "${EXPECT:-}" ]; then
    echo "walkthrough: $method $path answered $status:" >&2
    echo "$answer" >&2
    exit 1
  fi
  printf '%s\n' "$answer"
}

login() { api POST /auth/login "${json[@]}" -d "{\"email\":\"$1\",\"password\":\"$2\"}" | jq -r .accessToken; }

ADMIN=$(login admin@example.org 'choose-a-long-password')
as_admin=(-H "Authorization: Bearer $ADMIN")
EXETER=$(api GET /partnerships "${as_admin[@]}" | jq -r '.items[] | select(.code=="exeter") | .id')

# People and an agency of this run
POLICE=$(api POST /agencies "${as_admin[@]}" "${json[@]}" -d "{\"name\":\"Example Constabulary $RUN\",\"sector\":\"police\"}" | jq -r .id)
api POST /users "${as_admin[@]}" "${json[@]}" \
  -d "{\"email\":\"chair-$RUN@example.org\",\"name\":\"Casey Chair\",\"role\":\"csp_chair\",\"password\":\"chair-password-1\",\"partnershipId\":\"$EXETER\"}" >/dev/null
REVIEWER_ID=$(api POST /users "${as_admin[@]}" "${json[@]}" \
  -d "{\"email\":\"reviewer-$RUN@example.org\",\"name\":\"Robin Reviewer\",\"role\":\"review_chair\",\"password\":\"review-password-1\"}" | jq -r .id)
CHAIR=$(login "chair-$RUN@example.org" chair-password-1)
REVIEWER=$(login "reviewer-$RUN@example.org" review-password-1)

# 1. The police notification is recorded (stage: notified)
CASE=$(api POST /cases "${as_admin[@]}" "${json[@]}" -d "{
  \"partnershipId\":\"$EXETER\", \"notifiedOn\":\"2026-03-02\", \"notificationSource\":\"Police letter\",
  \"subjects\":[{\"role\":\"victim\",\"fullName\":\"Ellen Marsh-Ockley\",\"pseudonym\":\"Anna\"}]}")
CASE_ID=$(echo "$CASE" | jq -r .id); echo "$CASE" | jq '{reference, stage}'

# 2. The Exeter CSP chair decides to hold a review (stage: commissioned)
api POST "/cases/$CASE_ID/decision" -H "Authorization: Bearer $CHAIR" "${json[@]}" \
  -d '{"outcome":"commission","decidedOn":"2026-03-20","rationale":"The death meets the statutory criteria."}' | jq '{stage, decision}'

# 3. Too early to establish the panel: 409 lists what is missing
EXPECT=409 api POST "/cases/$CASE_ID/transitions" "${as_admin[@]}" "${json[@]}" -d '{"to":"panel_established"}' | jq '{status, unmet}'
# ... which can be read before trying: the next steps, in codes and in words (the case named by its reference)
REFERENCE=$(echo "$CASE" | jq -r .reference)
api GET "/cases/$REFERENCE/next-steps" "${as_admin[@]}" | jq '.items[] | {to, allowed, messages}'

# 4. The admin assigns the review chair (PATCH needs the ETag from GET)
ETAG=$(api GET "/cases/$CASE_ID" "${as_admin[@]}" -o /dev/null -D - | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
api PATCH "/cases/$CASE_ID" "${as_admin[@]}" "${json[@]}" -H "If-Match: $ETAG" \
  -d "{\"reviewChairId\":\"$REVIEWER_ID\",\"termsOfReferenceAgreedOn\":\"2026-04-10\"}" | jq '{version, reviewChairId}'

# 5. The review chair adds the police to the panel and establishes it
as_reviewer=(-H "Authorization: Bearer $REVIEWER")
api POST "/cases/$CASE_ID/panel" "${as_reviewer[@]}" "${json[@]}" -d "{\"agencyId\":\"$POLICE\"}" >/dev/null
api POST "/cases/$CASE_ID/transitions" "${as_reviewer[@]}" "${json[@]}" -d '{"to":"panel_established","comment":"First panel meeting"}' | jq .stage

# 6. Ask the police for their chronology, then start gathering information
api POST "/cases/$CASE_ID/contributions" "${as_reviewer[@]}" "${json[@]}" \
  -d "{\"agencyId\":\"$POLICE\",\"kind\":\"chronology\",\"dueOn\":\"2026-06-30\"}" | jq '{kind, dueOn, status}'
api POST "/cases/$CASE_ID/transitions" "${as_reviewer[@]}" "${json[@]}" -d '{"to":"information_gathering"}' | jq .stage
# drafting waits for the police: the review chair's next step says so, naming the agency
api GET "/cases/$CASE_ID/next-steps" "${as_reviewer[@]}" | jq -r '.items[].messages[]'

# 7. A criminal trial: the case goes on hold (work continues; publication will wait)
api POST "/cases/$CASE_ID/holds" "${as_reviewer[@]}" "${json[@]}" -d '{"reason":"criminal_proceedings","startedOn":"2026-05-01"}' | jq '{reason, startedOn}'

# 8. The history of the case, and the list (pseudonyms only)
api GET "/cases/$CASE_ID/transitions" -H "Authorization: Bearer $CHAIR" | jq -r '.items[] | "\(.from) -> \(.to)"'
api GET "/cases?onHold=true" -H "Authorization: Bearer $CHAIR" | jq '.items[] | {reference, stage, subjects}'
echo "walkthrough: done (run $RUN)"
