-- listPartnerships
SELECT id, code, name, created_at AS "createdAt" FROM partnership ORDER BY name;

-- partnershipExists
SELECT 1 FROM partnership WHERE id = $1;

-- requirePartnership
SELECT 1 FROM partnership WHERE id = $1;

-- partnershipNames
SELECT id, name FROM partnership WHERE id = ANY($1::uuid[]);
