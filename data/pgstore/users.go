package pgstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// userColumns reads a user with their locations and groups in the order
// they were given.
const userColumns = `u.id, u.name, u.role, u.secret_hash, u.pin_hash, u.failed_attempts, u.locked_until, u.deactivated_on,
	ARRAY(SELECT l.location_id FROM user_locations l WHERE l.user_id = u.id ORDER BY l.position),
	ARRAY(SELECT g.group_id FROM user_groups g WHERE g.user_id = u.id ORDER BY g.position)`

func scanUser(row pgx.Row) (data.User, error) {
	var u data.User
	var id int64
	var locations, groups []int64
	err := row.Scan(&id, &u.Name, &u.Role, &u.SecretHash, &u.PINHash, &u.FailedAttempts, scanTime(&u.LockedUntil), scanDate(&u.DeactivatedOn), &locations, &groups)
	u.ID, u.LocationIDs, u.GroupIDs = data.ID(id), idsOf(locations), idsOf(groups)
	return u, err
}

func readUser(ctx context.Context, q querier, id data.ID) (data.User, error) {
	u, err := scanUser(q.QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = $1`, int64(id)))
	return u, notFound(err, "user", id)
}

// readUsers reads every account, deactivated ones too, by ID.
func readUsers(ctx context.Context, q querier) ([]data.User, error) {
	rows, err := q.Query(ctx, `SELECT `+userColumns+` FROM users u ORDER BY u.id`)
	if err != nil {
		return nil, fmt.Errorf("read users: %w", err)
	}
	users, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.User, error) { return scanUser(row) })
	if err != nil {
		return nil, fmt.Errorf("read users: %w", err)
	}
	return users, nil
}

// Users lists everyone who can sign in, by name: deactivated accounts are left out.
func (db *DB) Users(ctx context.Context) ([]data.User, error) {
	var out []data.User
	err := db.view(ctx, func(tx pgx.Tx) error {
		all, err := readUsers(ctx, tx)
		out = data.SignInList(all)
		return err
	})
	return out, err
}

// SignIn checks a user's PIN or password. After Settings.SignInAttempts wrong
// tries the user is locked out for Settings.LockoutMinutes; the count and the
// lock are stored, so restarting the app does not reset them.
func (db *DB) SignIn(ctx context.Context, userID data.ID, secret string) (data.Actor, error) {
	var actor data.Actor
	var wrong error
	err := db.update(withoutWriteKey(ctx), data.AuditSignIn, func(tx pgx.Tx, changed *[]data.Change) error {
		actor, wrong = data.Actor{}, nil
		u, err := readUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		s, err := readSettings(ctx, tx)
		if err != nil {
			return err
		}
		tried, err := u.TrySignIn(secret, db.now(), s)
		if err != nil {
			return err
		}
		// A wrong attempt is stored too: the transaction commits, the sign-in fails.
		actor, wrong, u = tried.Actor, tried.Wrong, tried.Kept
		*changed = append(*changed, tried.Log)
		_, err = tx.Exec(ctx, `UPDATE users SET failed_attempts = $2, locked_until = $3 WHERE id = $1`,
			int64(u.ID), u.FailedAttempts, timeArg(u.LockedUntil))
		return err
	})
	if err == nil {
		err = wrong
	}
	return actor, err
}

// ActorFor is an active user as write paths check them, read afresh: the
// window signs its user in again this way after their own account or
// locations changed.
func (db *DB) ActorFor(ctx context.Context, userID data.ID) (data.Actor, error) {
	var a data.Actor
	err := db.view(ctx, func(tx pgx.Tx) error {
		u, err := readUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		a, err = u.ActiveActor()
		return err
	})
	return a, err
}

// putNewUser numbers and stores a new user.
func putNewUser(ctx context.Context, tx pgx.Tx, u data.User) (data.User, error) {
	if err := checkUser(ctx, tx, u); err != nil {
		return u, err
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO users (name, role, secret_hash, pin_hash, failed_attempts, locked_until, deactivated_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		u.Name, string(u.Role), u.SecretHash, u.PINHash, u.FailedAttempts, timeArg(u.LockedUntil), dateArg(u.DeactivatedOn)).Scan(&id)
	if err != nil {
		return u, fmt.Errorf("store user %q: %w", u.Name, err)
	}
	u.ID = data.ID(id)
	return u, putUserPlaces(ctx, tx, u)
}

// putUser stores a user who has an ID.
func putUser(ctx context.Context, tx pgx.Tx, u data.User) error {
	if u.ID == 0 {
		return data.Invalid("user %q without ID", u.Name)
	}
	if err := checkUser(ctx, tx, u); err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `UPDATE users SET name = $2, role = $3, secret_hash = $4, pin_hash = $5, failed_attempts = $6,
		locked_until = $7, deactivated_on = $8 WHERE id = $1`,
		int64(u.ID), u.Name, string(u.Role), u.SecretHash, u.PINHash, u.FailedAttempts, timeArg(u.LockedUntil), dateArg(u.DeactivatedOn))
	if err != nil {
		return fmt.Errorf("store user %q: %w", u.Name, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("user %d: %w", u.ID, data.ErrNotFound)
	}
	return putUserPlaces(ctx, tx, u)
}

// checkUser checks what every stored user must have: a name, a known role,
// groups that exist, and a PIN or password.
func checkUser(ctx context.Context, q querier, u data.User) error {
	if strings.TrimSpace(u.Name) == "" {
		return data.Refuse(data.RefuseNoPersonName, nil)
	}
	if _, ok := data.Permissions[u.Role]; !ok {
		return data.Refuse(data.RefuseUnknownRole, data.Args{"Name": u.Name})
	}
	if len(u.GroupIDs) > 0 {
		rows, err := q.Query(ctx, `SELECT id FROM groups WHERE id = ANY($1)`, idsArg(u.GroupIDs))
		if err != nil {
			return fmt.Errorf("read groups: %w", err)
		}
		known, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("read groups: %w", err)
		}
		for _, g := range u.GroupIDs {
			if !slices.Contains(known, int64(g)) {
				return data.Invalid("user %q: unknown group %d", u.Name, g)
			}
		}
	}
	if len(u.SecretHash) == 0 && len(u.PINHash) == 0 {
		return data.Refuse(data.RefuseNoSecret, data.Args{"Name": u.Name})
	}
	return nil
}

// putUserPlaces replaces a user's locations and groups, keeping their order.
func putUserPlaces(ctx context.Context, tx pgx.Tx, u data.User) error {
	id := int64(u.ID)
	if _, err := tx.Exec(ctx, `DELETE FROM user_locations WHERE user_id = $1`, id); err != nil {
		return fmt.Errorf("store the locations of %q: %w", u.Name, err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM user_groups WHERE user_id = $1`, id); err != nil {
		return fmt.Errorf("store the groups of %q: %w", u.Name, err)
	}
	if len(u.LocationIDs) > 0 {
		_, err := tx.Exec(ctx, `INSERT INTO user_locations (user_id, location_id, position)
			SELECT $1, t.id, t.position FROM unnest($2::bigint[]) WITH ORDINALITY AS t(id, position)`, id, idsArg(u.LocationIDs))
		if err != nil {
			return fmt.Errorf("store the locations of %q: %w", u.Name, err)
		}
	}
	if len(u.GroupIDs) > 0 {
		_, err := tx.Exec(ctx, `INSERT INTO user_groups (user_id, group_id, position)
			SELECT $1, t.id, t.position FROM unnest($2::bigint[]) WITH ORDINALITY AS t(id, position)`, id, idsArg(u.GroupIDs))
		if err != nil {
			return fmt.Errorf("store the groups of %q: %w", u.Name, err)
		}
	}
	return nil
}
