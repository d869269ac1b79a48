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

// Users lists everyone who can sign in, by name: deactivated accounts are left out.
func (db *DB) Users(ctx context.Context) ([]data.User, error) {
	var out []data.User
	err := db.view(ctx, func(tx *bolt.Tx) error {
		all, err := allJSON[data.User](tx.Bucket(bucketUsers))
		for _, u := range all {
			if u.Active() {
				u.SecretHash, u.PINHash = nil, nil // screens never need them
				out = append(out, u)
			}
		}
		return err
	})
	slices.SortFunc(out, func(a, b data.User) int { return strings.Compare(a.Name, b.Name) })
	return out, err
}

// SignIn checks a user's PIN or password. After Settings.SignInAttempts wrong
// tries the user is locked out for Settings.LockoutMinutes; the count and the
// lock are stored, so restarting the app does not reset them.
func (db *DB) SignIn(ctx context.Context, userID data.ID, secret string) (data.Actor, error) {
	var actor data.Actor
	var wrong error
	err := db.update(ctx, data.AuditSignIn, func(tx *bolt.Tx, changed *[]data.Change) error {
		u, err := getJSON[data.User](tx.Bucket(bucketUsers), idKey(userID))
		if err != nil {
			return fmt.Errorf("user %d: %w", userID, err)
		}
		s, err := readSettings(tx)
		if err != nil {
			return err
		}
		now := db.now()
		if now.Before(u.LockedUntil) {
			return fmt.Errorf("%w (until %s)", data.ErrLockedOut, u.LockedUntil.Format("15:04"))
		}
		if !u.Active() {
			return fmt.Errorf("%w: %s", data.ErrDeactivated, u.Name)
		}
		if !u.Matches(secret) {
			*changed = append(*changed, data.Change{Kind: data.ChangeSignIn, Detail: "wrong PIN or password for " + u.Name})
			u.FailedAttempts++
			wrong = data.ErrWrongSecret
			if u.FailedAttempts >= s.SignInAttempts {
				u.FailedAttempts, u.LockedUntil = 0, now.Add(time.Duration(s.LockoutMinutes)*time.Minute)
				wrong = fmt.Errorf("%w (until %s)", data.ErrLockedOut, u.LockedUntil.Format("15:04"))
			}
			// The failed attempt is stored: the transaction commits, the sign-in fails.
			return putJSON(tx.Bucket(bucketUsers), idKey(u.ID), u)
		}
		u.FailedAttempts, u.LockedUntil = 0, time.Time{}
		*changed = append(*changed, data.Change{Kind: data.ChangeSignIn, Detail: u.Name + " signed in"})
		actor = u.Actor()
		return putJSON(tx.Bucket(bucketUsers), idKey(u.ID), u)
	})
	if err == nil {
		err = wrong
	}
	return actor, err
}

// putUser stores a user; a user's groups must exist and lie at their locations.
func putUser(tx *bolt.Tx, u data.User) error {
	if u.ID == 0 {
		return data.Invalid("user %q without ID", u.Name)
	}
	if strings.TrimSpace(u.Name) == "" {
		return data.Invalid("a user needs a name")
	}
	if _, ok := data.Permissions[u.Role]; !ok {
		return data.Invalid("unknown role %q", u.Role)
	}
	for _, g := range u.GroupIDs {
		if tx.Bucket(bucketGroups).Get(idKey(g)) == nil {
			return data.Invalid("user %q: unknown group %d", u.Name, g)
		}
	}
	if len(u.SecretHash) == 0 && len(u.PINHash) == 0 {
		return data.Invalid("user %q has no PIN or password", u.Name)
	}
	return putJSON(tx.Bucket(bucketUsers), idKey(u.ID), u)
}
