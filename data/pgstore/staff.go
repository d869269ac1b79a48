package pgstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// groupLocations maps every group to its location, for the scope checks
// of accounts (a staff member works where their groups are).
func groupLocations(ctx context.Context, q querier) (map[data.ID]data.ID, error) {
	rows, err := q.Query(ctx, `SELECT id, location_id FROM groups`)
	if err != nil {
		return nil, fmt.Errorf("read groups: %w", err)
	}
	defer rows.Close()
	out := map[data.ID]data.ID{}
	for rows.Next() {
		var id, location int64
		if err := rows.Scan(&id, &location); err != nil {
			return nil, fmt.Errorf("read groups: %w", err)
		}
		out[data.ID(id)] = data.ID(location)
	}
	return out, rows.Err()
}

// scopeOK checks that every location u works at (their own, and those of
// their groups) is one of the signed-in manager's.
func (db *DB) scopeOK(u data.User, groups map[data.ID]data.ID) error {
	if db.actor == nil {
		return nil
	}
	return db.actor.MayManageAccount(u, func(id data.ID) (data.ID, bool) {
		loc, ok := groups[id]
		return loc, ok
	})
}

// readManagedUser reads an account that the actor may manage.
func (db *DB) readManagedUser(ctx context.Context, tx pgx.Tx, id data.ID) (data.User, error) {
	u, err := readUser(ctx, tx, id)
	if err != nil {
		return u, err
	}
	groups, err := groupLocations(ctx, tx)
	if err != nil {
		return u, err
	}
	return u, db.scopeOK(u, groups)
}

// StaffAccounts lists every account, deactivated ones too, by name; on a
// signed-in handle those at the actor's locations (managers).
func (db *DB) StaffAccounts(ctx context.Context) ([]data.StaffAccount, error) {
	var out []data.StaffAccount
	err := db.view(ctx, func(tx pgx.Tx) error {
		out = nil
		if err := db.allowRole(data.ActAdmin); err != nil {
			return err
		}
		groups, err := groupLocations(ctx, tx)
		if err != nil {
			return err
		}
		all, err := readUsers(ctx, tx)
		if err != nil {
			return err
		}
		for _, u := range all {
			if db.scopeOK(u, groups) != nil {
				continue
			}
			out = append(out, data.StaffAccountOf(u))
		}
		return nil
	})
	slices.SortFunc(out, func(a, b data.StaffAccount) int { return strings.Compare(a.Name, b.Name) })
	return out, err
}

// checkAccount checks a user to be stored against the rest: their groups
// and locations open, their name not an active colleague's, and a manager left.
func (db *DB) checkAccount(ctx context.Context, tx pgx.Tx, u data.User) error {
	if err := db.allowRole(data.ActAdmin); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	groups, err := groupLocations(ctx, tx)
	if err != nil {
		return err
	}
	if err := db.scopeOK(u, groups); err != nil {
		return err
	}
	var closed bool
	err = tx.QueryRow(ctx, `SELECT
			EXISTS (SELECT 1 FROM unnest($1::bigint[]) AS want(id) LEFT JOIN locations l ON l.id = want.id
				WHERE l.id IS NULL OR l.closed_on IS NOT NULL)
			OR EXISTS (SELECT 1 FROM unnest($2::bigint[]) AS want(id) LEFT JOIN groups g ON g.id = want.id
				WHERE g.id IS NULL OR g.closed_on IS NOT NULL)`,
		idsArg(u.LocationIDs), idsArg(u.GroupIDs)).Scan(&closed)
	if err != nil {
		return fmt.Errorf("read the places of %q: %w", u.Name, err)
	}
	if closed {
		return data.Refuse(data.RefuseWhereClosed, data.Args{"Name": u.Name})
	}
	all, err := readUsers(ctx, tx)
	if err != nil {
		return err
	}
	return data.CheckAccountAmong(u, all)
}

// AddUser adds a staff account with its first PIN or password (managers,
// for people at their own locations). The returned user holds no hash.
func (db *DB) AddUser(ctx context.Context, nu data.NewUser) (data.User, error) {
	u := nu.User
	u.ID, u.Name, u.DeactivatedOn, u.FailedAttempts = 0, strings.TrimSpace(u.Name), data.Date{}, 0
	u.SecretHash, u.PINHash = nil, nil
	if err := u.Validate(); err != nil {
		return u, err
	}
	hash, err := data.HashSecret(nu.Secret)
	if err != nil {
		return u, err
	}
	u.SetSecretHash(nu.Secret, hash)
	added := u
	err = db.update(ctx, data.AuditAddUser, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.checkAccount(ctx, tx, u); err != nil {
			return err
		}
		var err error
		if added, err = putNewUser(ctx, tx, u); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("account %q added (%s)", added.Name, added.Role)})
		return nil
	})
	added.SecretHash, added.PINHash = nil, nil
	return added, err
}

// UpdateUser changes an account's name, role, locations and groups; the
// PIN, password and active state have their own calls.
func (db *DB) UpdateUser(ctx context.Context, u data.User) error {
	u.Name = strings.TrimSpace(u.Name)
	if err := u.Validate(); err != nil {
		return err
	}
	return db.update(ctx, data.AuditUpdateUser, func(tx pgx.Tx, changed *[]data.Change) error {
		old, err := db.readManagedUser(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		next := old
		next.Name, next.Role, next.LocationIDs, next.GroupIDs = u.Name, u.Role, u.LocationIDs, u.GroupIDs
		if err := db.checkAccount(ctx, tx, next); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: data.AccountChanges(old, next)})
		return putUser(ctx, tx, next)
	})
}

// SetSecret sets or resets someone's PIN (4–6 digits) or password (managers):
// for a forgotten PIN, or a tablet PIN beside an office password. It ends a lock-out.
func (db *DB) SetSecret(ctx context.Context, userID data.ID, secret string) error {
	hash, err := data.HashSecret(secret)
	if err != nil {
		return err
	}
	return db.update(ctx, data.AuditSetSecret, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActAdmin); err != nil {
			return err
		}
		u, err := db.readManagedUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		u.SetSecretHash(secret, hash)
		u.FailedAttempts, u.LockedUntil = 0, time.Time{}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("%s of %q set", data.SecretKind(secret), u.Name)})
		return putUser(ctx, tx, u)
	})
}

// ChangeOwnSecret lets whoever is signed in change their own PIN or
// password; the current one (either) must be given. A new PIN replaces the
// PIN, a new password the password.
func (db *DB) ChangeOwnSecret(ctx context.Context, current, secret string) error {
	if db.actor == nil || db.actor.UserID == 0 {
		return data.Refuse(data.RefuseNotSignedIn, nil)
	}
	hash, err := data.HashSecret(secret)
	if err != nil {
		return err
	}
	return db.update(ctx, data.AuditChangeOwnSecret, func(tx pgx.Tx, changed *[]data.Change) error {
		u, err := readUser(ctx, tx, db.actor.UserID)
		if err != nil {
			return err
		}
		if !u.Active() {
			return data.Refuse(data.RefuseDeactivated, data.Args{"Name": u.Name})
		}
		if !u.Matches(current) {
			return data.Refuse(data.RefuseWrongSecret, nil)
		}
		u.SetSecretHash(secret, hash)
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("%q changed their own %s", u.Name, data.SecretKind(secret))})
		return putUser(ctx, tx, u)
	})
}

// DeactivateUser stops someone signing in, from today (managers). The
// account stays: the log names them. The last active manager stays active.
func (db *DB) DeactivateUser(ctx context.Context, userID data.ID) error {
	return db.setActive(ctx, data.AuditDeactivateUser, userID, false)
}

// ReactivateUser lets a deactivated person sign in again (managers).
func (db *DB) ReactivateUser(ctx context.Context, userID data.ID) error {
	return db.setActive(ctx, data.AuditReactivateUser, userID, true)
}

func (db *DB) setActive(ctx context.Context, action string, userID data.ID, active bool) error {
	today := db.Today()
	return db.update(ctx, action, func(tx pgx.Tx, changed *[]data.Change) error {
		u, err := readUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		what, flipped := u.SetActive(active, today)
		if !flipped {
			return nil
		}
		if err := db.checkAccount(ctx, tx, u); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("account %q %s", u.Name, what)})
		return putUser(ctx, tx, u)
	})
}
