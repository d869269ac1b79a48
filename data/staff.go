package data

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Validate checks a user on their own: a name, a known role, and where they
// work (a staff member's groups, a manager's or planner's locations).
func (u User) Validate() error {
	switch {
	case strings.TrimSpace(u.Name) == "":
		return Refuse(RefuseNoPersonName, nil)
	case u.Role == RoleStaff && len(u.GroupIDs) == 0:
		return Refuse(RefuseStaffWithoutGroup, Args{"Name": u.Name})
	case u.Role == RoleManager || u.Role == RoleOffice:
		if len(u.LocationIDs) == 0 {
			return Refuse(RefuseNoLocation, Args{"Name": u.Name})
		}
	case u.Role != RoleStaff:
		return Refuse(RefuseUnknownRole, Args{"Name": u.Name})
	}
	return nil
}

// CheckManagerLeft refuses a change that leaves no active manager: nobody
// could then manage accounts or settings any more.
func CheckManagerLeft(users []User) error {
	for _, u := range users {
		if u.Role == RoleManager && u.Active() {
			return nil
		}
	}
	return Refuse(RefuseLastManager, nil)
}

// StaffAccount is a user as the management screen shows them: never the
// hashes, only whether a PIN and a password are set.
type StaffAccount struct {
	User
	HasPIN, HasPassword bool
}

// StaffAccountOf is u as the account list shows it: which secrets are set,
// never their hashes.
func StaffAccountOf(u User) StaffAccount {
	a := StaffAccount{User: u, HasPIN: len(u.PINHash) > 0, HasPassword: len(u.SecretHash) > 0}
	a.SecretHash, a.PINHash = nil, nil
	return a
}

// CheckAccountAmong checks an account to be stored against all the others
// (u replaces the one with its ID, if any): its name not an active
// colleague's, and an active manager left.
func CheckAccountAmong(u User, all []User) error {
	all = slices.Clone(all)
	replaced := false
	for i, other := range all {
		if other.ID == u.ID {
			all[i], replaced = u, true
		} else if other.Active() && u.Active() && strings.EqualFold(strings.TrimSpace(other.Name), strings.TrimSpace(u.Name)) {
			return Refuse(RefuseNameTaken, Args{"Name": u.Name})
		}
	}
	if !replaced {
		all = append(all, u)
	}
	return CheckManagerLeft(all)
}

// MayManageAccount refuses a manager an account that works anywhere they
// do not lead: at its own locations or those of its groups (locationOf says
// a group's location; false: no such group).
func (a Actor) MayManageAccount(u User, locationOf func(groupID ID) (ID, bool)) error {
	locations := slices.Clone(u.LocationIDs)
	for _, id := range u.GroupIDs {
		loc, ok := locationOf(id)
		if !ok {
			return Invalid("%s: unknown group %d", u.Name, id)
		}
		locations = append(locations, loc)
	}
	return a.MayManage(u, locations)
}

// IsPIN tells a PIN (digits only) from a password.
func IsPIN(secret string) bool {
	return secret != "" && strings.IndexFunc(secret, func(r rune) bool { return !unicode.IsDigit(r) }) < 0
}

// SecretKind says in words which secret this is, for the audit log.
func SecretKind(secret string) string {
	if IsPIN(secret) {
		return "PIN"
	}
	return "password"
}

// SetSecretHash puts a secret's hash in its slot: a PIN's or the password's.
func (u *User) SetSecretHash(secret string, hash []byte) {
	if IsPIN(secret) {
		u.PINHash = hash
	} else {
		u.SecretHash = hash
	}
}

// AccountChanges says what changed in an account, before → after.
func AccountChanges(old, u User) string {
	parts := []string{}
	if old.Name != u.Name {
		parts = append(parts, fmt.Sprintf("name %q → %q", old.Name, u.Name))
	}
	if old.Role != u.Role {
		parts = append(parts, fmt.Sprintf("role %s → %s", old.Role, u.Role))
	}
	if !slices.Equal(old.LocationIDs, u.LocationIDs) {
		parts = append(parts, fmt.Sprintf("locations %v → %v", old.LocationIDs, u.LocationIDs))
	}
	if !slices.Equal(old.GroupIDs, u.GroupIDs) {
		parts = append(parts, fmt.Sprintf("groups %v → %v", old.GroupIDs, u.GroupIDs))
	}
	return fmt.Sprintf("account %q: %s", u.Name, strings.Join(parts, ", "))
}

// SetActive deactivates u from today or reactivates them, and says which in
// words; false when u already was so (nothing to write).
func (u *User) SetActive(active bool, today Date) (what string, changed bool) {
	if u.Active() == active {
		return "", false
	}
	what, u.DeactivatedOn = "reactivated", Date{}
	if !active {
		what, u.DeactivatedOn = "deactivated", today
	}
	return what, true
}
