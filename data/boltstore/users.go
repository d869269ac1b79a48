package boltstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

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
	err := db.update(withoutWriteKey(ctx), data.AuditSignIn, func(tx *bolt.Tx, changed *[]data.Change) error {
		u, err := getJSON[data.User](tx.Bucket(bucketUsers), idKey(userID))
		if err != nil {
			return fmt.Errorf("user %d: %w", userID, err)
		}
		s, err := readSettings(tx)
		if err != nil {
			return err
		}
		now := db.now()
		if err := u.MaySignIn(now); err != nil {
			return err
		}
		right := u.Matches(secret)
		u, wrong = u.AfterSignIn(right, now, s)
		if right {
			*changed = append(*changed, data.Change{Kind: data.ChangeSignIn, Detail: u.Name + " signed in"})
			actor = u.Actor()
		} else {
			// The failed attempt is stored: the transaction commits, the sign-in fails.
			*changed = append(*changed, data.Change{Kind: data.ChangeSignIn, Detail: "wrong PIN or password for " + u.Name})
		}
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
		return data.Refuse(data.RefuseNoPersonName, nil)
	}
	if _, ok := data.Permissions[u.Role]; !ok {
		return data.Refuse(data.RefuseUnknownRole, data.Args{"Name": u.Name})
	}
	for _, g := range u.GroupIDs {
		if tx.Bucket(bucketGroups).Get(idKey(g)) == nil {
			return data.Invalid("user %q: unknown group %d", u.Name, g)
		}
	}
	if len(u.SecretHash) == 0 && len(u.PINHash) == 0 {
		return data.Refuse(data.RefuseNoSecret, data.Args{"Name": u.Name})
	}
	return putJSON(tx.Bucket(bucketUsers), idKey(u.ID), u)
}
