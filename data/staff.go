package data

import (
	"strings"
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
