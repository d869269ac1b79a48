package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// LocationRole makes (or changes) the database role a hub for some
// locations connects with: it may read and write the organisation's tables,
// and row-level security shows it the rows of those locations only (see
// migrations/00003_location_roles.sql). It runs on a connection as the
// tables' owner. The role's password is set when given.
func (db *DB) LocationRole(ctx context.Context, role, password string, locationNames []string) ([]data.Location, error) {
	if role == "" || len(locationNames) == 0 {
		return nil, data.Invalid("a location role needs a name and at least one location")
	}
	var granted []data.Location
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		granted = nil
		for _, name := range locationNames {
			l, err := scanLocation(tx.QueryRow(ctx, `SELECT `+locationColumns+` FROM locations WHERE lower(name) = lower($1) ORDER BY closed_on NULLS FIRST LIMIT 1`, strings.TrimSpace(name)))
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("location %q: %w", name, data.ErrNotFound)
			}
			if err != nil {
				return err
			}
			granted = append(granted, l)
		}
		ident := pgx.Identifier{role}.Sanitize()
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)`, role).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			if _, err := tx.Exec(ctx, `CREATE ROLE `+ident+` LOGIN NOBYPASSRLS`); err != nil {
				return fmt.Errorf("create role %s: %w", role, err)
			}
		}
		if password != "" {
			// ALTER ROLE takes no parameters: the password goes in as a quoted literal.
			if _, err := tx.Exec(ctx, `ALTER ROLE `+ident+` PASSWORD `+quoteLiteral(password)); err != nil {
				return fmt.Errorf("set the password of role %s: %w", role, err)
			}
		}
		var schema string
		if err := tx.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
			return err
		}
		s := pgx.Identifier{schema}.Sanitize()
		for _, grant := range []string{
			`GRANT USAGE ON SCHEMA ` + s + ` TO ` + ident,
			`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ` + s + ` TO ` + ident,
			`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ` + s + ` TO ` + ident,
			// Who sees which location is the owner's to say, never the
			// role's, and so is the schema's version.
			`REVOKE ALL ON role_locations FROM ` + ident,
			`REVOKE INSERT, UPDATE, DELETE ON goose_db_version FROM ` + ident,
		} {
			if _, err := tx.Exec(ctx, grant); err != nil {
				return fmt.Errorf("grant role %s: %w", role, err)
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM role_locations WHERE role_name = $1`, role); err != nil {
			return err
		}
		for _, l := range granted {
			if _, err := tx.Exec(ctx, `INSERT INTO role_locations (role_name, location_id) VALUES ($1, $2)`, role, int64(l.ID)); err != nil {
				return err
			}
		}
		return nil
	})
	return granted, err
}

// quoteLiteral is s as an SQL string literal.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
