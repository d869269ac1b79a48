package boltstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// StaffAccounts lists every account, deactivated ones too, by name; on a
// signed-in handle those at the actor's locations (managers).
func (db *DB) StaffAccounts(ctx context.Context) ([]data.StaffAccount, error) {
	var out []data.StaffAccount
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if err := db.allowRole(data.ActAdmin); err != nil {
			return err
		}
		all, err := allJSON[data.User](tx.Bucket(bucketUsers))
		if err != nil {
			return err
		}
		for _, u := range all {
			if db.scopeOK(tx, u) != nil {
				continue
			}
			out = append(out, data.StaffAccountOf(u))
		}
		return nil
	})
	slices.SortFunc(out, func(a, b data.StaffAccount) int { return strings.Compare(a.Name, b.Name) })
	return out, err
}

// scopeOK checks that every location u works at (their own, and those of
// their groups) is one of the signed-in manager's.
func (db *DB) scopeOK(tx *bolt.Tx, u data.User) error {
	if db.actor == nil {
		return nil
	}
	return db.actor.MayManageAccount(u, func(id data.ID) (data.ID, bool) {
		g, err := getJSON[data.Group](tx.Bucket(bucketGroups), idKey(id))
		return g.LocationID, err == nil
	})
}

// readManagedUser reads an account that the actor may manage.
func (db *DB) readManagedUser(tx *bolt.Tx, id data.ID) (data.User, error) {
	u, err := getJSON[data.User](tx.Bucket(bucketUsers), idKey(id))
	if err != nil {
		return u, fmt.Errorf("user %d: %w", id, err)
	}
	return u, db.scopeOK(tx, u)
}

// checkAccount checks a user to be stored against the rest: their groups
// and locations open, their name not an active colleague's, and a manager left.
func (db *DB) checkAccount(tx *bolt.Tx, u data.User) error {
	if err := db.allowRole(data.ActAdmin); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if err := db.scopeOK(tx, u); err != nil {
		return err
	}
	for _, id := range u.LocationIDs {
		loc, err := getJSON[data.Location](tx.Bucket(bucketLocations), idKey(id))
		if err != nil || !loc.ClosedOn.IsZero() {
			return data.Refuse(data.RefuseWhereClosed, data.Args{"Name": u.Name})
		}
	}
	for _, id := range u.GroupIDs {
		g, err := getJSON[data.Group](tx.Bucket(bucketGroups), idKey(id))
		if err != nil || !g.ClosedOn.IsZero() {
			return data.Refuse(data.RefuseWhereClosed, data.Args{"Name": u.Name})
		}
	}
	all, err := allJSON[data.User](tx.Bucket(bucketUsers))
	if err != nil {
		return err
	}
	return data.CheckAccountAmong(u, all)
}

// putNewUser numbers and stores a new user.
func putNewUser(tx *bolt.Tx, u data.User) (data.User, error) {
	seq, err := tx.Bucket(bucketUsers).NextSequence()
	if err != nil {
		return u, err
	}
	u.ID = data.ID(seq)
	return u, putUser(tx, u)
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
	err = db.update(ctx, data.AuditAddUser, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.checkAccount(tx, u); err != nil {
			return err
		}
		var err error
		if u, err = putNewUser(tx, u); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("account %q added (%s)", u.Name, u.Role)})
		return nil
	})
	u.SecretHash, u.PINHash = nil, nil
	return u, err
}

// UpdateUser changes an account's name, role, locations and groups; the
// PIN, password and active state have their own calls.
func (db *DB) UpdateUser(ctx context.Context, u data.User) error {
	u.Name = strings.TrimSpace(u.Name)
	if err := u.Validate(); err != nil {
		return err
	}
	return db.update(ctx, data.AuditUpdateUser, func(tx *bolt.Tx, changed *[]data.Change) error {
		old, err := db.readManagedUser(tx, u.ID)
		if err != nil {
			return err
		}
		next := old
		next.Name, next.Role, next.LocationIDs, next.GroupIDs = u.Name, u.Role, u.LocationIDs, u.GroupIDs
		if err := db.checkAccount(tx, next); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: data.AccountChanges(old, next)})
		return putUser(tx, next)
	})
}

// SetSecret sets or resets someone's PIN (4–6 digits) or password (managers):
// for a forgotten PIN, or a tablet PIN beside an office password. It ends a lock-out.
func (db *DB) SetSecret(ctx context.Context, userID data.ID, secret string) error {
	hash, err := data.HashSecret(secret)
	if err != nil {
		return err
	}
	return db.update(ctx, data.AuditSetSecret, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActAdmin); err != nil {
			return err
		}
		u, err := db.readManagedUser(tx, userID)
		if err != nil {
			return err
		}
		u.SetSecretHash(secret, hash)
		u.FailedAttempts, u.LockedUntil = 0, time.Time{}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("%s of %q set", data.SecretKind(secret), u.Name)})
		return putUser(tx, u)
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
	return db.update(ctx, data.AuditChangeOwnSecret, func(tx *bolt.Tx, changed *[]data.Change) error {
		u, err := getJSON[data.User](tx.Bucket(bucketUsers), idKey(db.actor.UserID))
		if err != nil {
			return fmt.Errorf("user %d: %w", db.actor.UserID, err)
		}
		if !u.Active() {
			return data.Refuse(data.RefuseDeactivated, data.Args{"Name": u.Name})
		}
		if !u.Matches(current) {
			return data.Refuse(data.RefuseWrongSecret, nil)
		}
		u.SetSecretHash(secret, hash)
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("%q changed their own %s", u.Name, data.SecretKind(secret))})
		return putUser(tx, u)
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
	return db.update(ctx, action, func(tx *bolt.Tx, changed *[]data.Change) error {
		u, err := getJSON[data.User](tx.Bucket(bucketUsers), idKey(userID))
		if err != nil {
			return fmt.Errorf("user %d: %w", userID, err)
		}
		what, flipped := u.SetActive(active, today)
		if !flipped {
			return nil
		}
		if err := db.checkAccount(tx, u); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf("account %q %s", u.Name, what)})
		return putUser(tx, u)
	})
}

// ActorFor is an active user as write paths check them, read afresh: the
// window signs its user in again this way after their own account or
// locations changed.
func (db *DB) ActorFor(ctx context.Context, userID data.ID) (data.Actor, error) {
	var a data.Actor
	err := db.view(ctx, func(tx *bolt.Tx) error {
		u, err := getJSON[data.User](tx.Bucket(bucketUsers), idKey(userID))
		if err != nil {
			return fmt.Errorf("user %d: %w", userID, err)
		}
		a, err = u.ActiveActor()
		return err
	})
	return a, err
}
