#!/usr/bin/env bash
# The life of a case, against a server started with
#   BOOTSTRAP_ADMIN_EMAIL=admin@example.org BOOTSTRAP_ADMIN_PASSWORD='choose-a-long-password' npm start
# Needs curl and jq. Every person and agency here is fictional.
set -euo pipefail
API=${API:-http://localhost:3000/api}
json=(-H 'Content-Type: application/json')

login() { curl -sf "$API/auth/login" "${json[@]}" -d "{\"email\":\"$1\",\"password\":\"$2\"}" | jq -r .accessToken; }

ADMIN=$(login admin@example.org 'choose-a-long-password')
as_admin=(-H "Authorization: Bearer $ADMIN")
EXETER=$(curl -sf "$API/partnerships" "${as_admin[@]}" | jq -r '.items[] | select(.code=="exeter") | .id')

# People and agencies (run once: e-mails and agency names are unique)
POLICE=$(curl -sf "$API/agencies" "${as_admin[@]}" "${json[@]}" -d '{"name":"Example Constabulary","sector":"police"}' | jq -r .id)
curl -sf "$API/users" "${as_admin[@]}" "${json[@]}" \
  -d "{\"email\":\"chair@example.org\",\"name\":\"Casey Chair\",\"role\":\"csp_chair\",\"password\":\"chair-password-1\",\"partnershipId\":\"$EXETER\"}" >/dev/null
REVIEWER_ID=$(curl -sf "$API/users" "${as_admin[@]}" "${json[@]}" \
  -d '{"email":"reviewer@example.org","name":"Robin Reviewer","role":"review_chair","password":"review-password-1"}' | jq -r .id)
CHAIR=$(login chair@example.org chair-password-1)
REVIEWER=$(login reviewer@example.org review-password-1)

# 1. The police notification is recorded (stage: notified)
CASE=$(curl -sf "$API/cases" "${as_admin[@]}" "${json[@]}" -d "{
  \"partnershipId\":\"$EXETER\", \"notifiedOn\":\"2026-03-02\", \"notificationSource\":\"Police letter\",
  \"subjects\":[{\"role\":\"victim\",\"fullName\":\"Ellen Marsh-Ockley\",\"pseudonym\":\"Anna\"}]}")
CASE_ID=$(echo "$CASE" | jq -r .id); echo "$CASE" | jq '{reference, stage}'

# 2. The Exeter CSP chair decides to hold a review (stage: commissioned)
curl -sf "$API/cases/$CASE_ID/decision" -H "Authorization: Bearer $CHAIR" "${json[@]}" \
  -d '{"outcome":"commission","decidedOn":"2026-03-20","rationale":"The death meets the statutory criteria."}' | jq '{stage, decision}'

# 3. Too early to establish the panel: 409 lists what is missing
curl -s "$API/cases/$CASE_ID/transitions" "${as_admin[@]}" "${json[@]}" -d '{"to":"panel_established"}' | jq '{status, unmet}'
# ... which can be read before trying: the next steps, in codes and in words (the case named by its reference)
REFERENCE=$(echo "$CASE" | jq -r .reference)
curl -sf "$API/cases/$REFERENCE/next-steps" "${as_admin[@]}" | jq '.items[] | {to, allowed, messages}'

# 4. The admin assigns the review chair (PATCH needs the ETag from GET)
ETAG=$(curl -sfI "$API/cases/$CASE_ID" "${as_admin[@]}" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
curl -sf -X PATCH "$API/cases/$CASE_ID" "${as_admin[@]}" "${json[@]}" -H "If-Match: $ETAG" \
  -d "{\"reviewChairId\":\"$REVIEWER_ID\",\"termsOfReferenceAgreedOn\":\"2026-04-10\"}" | jq '{version, reviewChairId}'

# 5. The review chair adds the police to the panel and establishes it
as_reviewer=(-H "Authorization: Bearer $REVIEWER")
curl -sf "$API/cases/$CASE_ID/panel" "${as_reviewer[@]}" "${json[@]}" -d "{\"agencyId\":\"$POLICE\"}" >/dev/null
curl -sf "$API/cases/$CASE_ID/transitions" "${as_reviewer[@]}" "${json[@]}" -d '{"to":"panel_established","comment":"First panel meeting"}' | jq .stage

# 6. Ask the police for their chronology, then start gathering information
curl -sf "$API/cases/$CASE_ID/contributions" "${as_reviewer[@]}" "${json[@]}" \
  -d "{\"agencyId\":\"$POLICE\",\"kind\":\"chronology\",\"dueOn\":\"2026-06-30\"}" | jq '{kind, dueOn, status}'
curl -sf "$API/cases/$CASE_ID/transitions" "${as_reviewer[@]}" "${json[@]}" -d '{"to":"information_gathering"}' | jq .stage
# drafting waits for the police: the review chair's next step says so, naming the agency
curl -sf "$API/cases/$CASE_ID/next-steps" "${as_reviewer[@]}" | jq -r '.items[].messages[]'

# 7. A criminal trial: the case goes on hold (work continues; publication will wait)
curl -sf "$API/cases/$CASE_ID/holds" "${as_reviewer[@]}" "${json[@]}" -d '{"reason":"criminal_proceedings","startedOn":"2026-05-01"}' | jq '{reason, startedOn}'

# 8. The history of the case, and the list (pseudonyms only)
curl -sf "$API/cases/$CASE_ID/transitions" -H "Authorization: Bearer $CHAIR" | jq -r '.items[] | "\(.from) -> \(.to)"'
curl -sf "$API/cases?onHold=true" -H "Authorization: Bearer $CHAIR" | jq '.items[] | {reference, stage, subjects}'
