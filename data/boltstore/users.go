package boltstore

import (
	"context"
	"fmt"
	"strings"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// Users lists everyone who can sign in, by name: deactivated accounts are left out.
func (db *DB) Users(ctx context.Context) ([]data.User, error) {
	var out []data.User
	err := db.view(ctx, func(tx *bolt.Tx) error {
		all, err := allJSON[data.User](tx.Bucket(bucketUsers))
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
	err := db.update(withoutWriteKey(ctx), data.AuditSignIn, func(tx *bolt.Tx, changed *[]data.Change) error {
		u, err := getJSON[data.User](tx.Bucket(bucketUsers), idKey(userID))
		if err != nil {
			return fmt.Errorf("user %d: %w", userID, err)
		}
		s, err := readSettings(tx)
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
