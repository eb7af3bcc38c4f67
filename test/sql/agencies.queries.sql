-- listAgencies (first page)
SELECT a.id, a.name, a.sector, a.active, a.created_at AS "createdAt", a.updated_at AS "updatedAt" FROM agency a  ORDER BY lower(a.name), a.id LIMIT $1;

-- listAgencies (of one sector, after a key)
SELECT a.id, a.name, a.sector, a.active, a.created_at AS "createdAt", a.updated_at AS "updatedAt" FROM agency a WHERE (a.sector = $1) AND ((lower(a.name), a.id) > ($2, $3)) ORDER BY lower(a.name), a.id LIMIT $4;

-- findAgency (read)
SELECT a.id, a.name, a.sector, a.active, a.created_at AS "createdAt", a.updated_at AS "updatedAt" FROM agency a WHERE a.id = $1;

-- findAgency (locked)
SELECT a.id, a.name, a.sector, a.active, a.created_at AS "createdAt", a.updated_at AS "updatedAt" FROM agency a WHERE a.id = $1 FOR UPDATE;

-- agencyNameTaken
SELECT 1 FROM agency WHERE lower(name) = lower($1) LIMIT 1;

-- insertAgency
INSERT INTO agency AS a (name, sector, active, updated_at) VALUES ($1, $2, true, $3)
RETURNING a.id, a.name, a.sector, a.active, a.created_at AS "createdAt", a.updated_at AS "updatedAt";

-- updateAgency
UPDATE agency SET name = coalesce($2, name), sector = coalesce($3, sector), active = coalesce($4, active), updated_at = $5
 WHERE id = $1;

-- activeAgency
SELECT a.id, a.name, a.sector, a.active, a.created_at AS "createdAt", a.updated_at AS "updatedAt" FROM agency a WHERE a.id = $1 AND a.active;

-- requireActiveAgency
SELECT a.id, a.name, a.sector, a.active, a.created_at AS "createdAt", a.updated_at AS "updatedAt" FROM agency a WHERE a.id = $1 AND a.active;
