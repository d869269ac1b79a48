package data

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/crypto/bcrypt"
)

// Errors of signing in and of permissions.
var (
	ErrWrongSecret = errors.New("wrong PIN or password")
	ErrLockedOut   = errors.New("too many wrong attempts; try again later")
	ErrForbidden   = errors.New("not allowed for your role")
	ErrDeactivated = errors.New("this account is deactivated")
)

// Role is what a user is at the organisation; it decides what they may do.
type Role string

// The roles of domain.md's "Who uses it".
const (
	RoleManager Role = "manager" // location manager: everything at their locations
	RoleStaff   Role = "staff"   // group staff: their own groups
	RoleOffice  Role = "office"  // planner / customer service: contracts, calendars, study days, exports
)

// User is someone who signs in. A tablet user has a PIN of 4–6 digits; an
// office user may use a password of at least 8 characters instead.
type User struct {
	ID   ID     `json:"id"`
	Name string `json:"name"`
	Role Role   `json:"role"`
	// LocationIDs are the locations a manager leads or an office user serves.
	LocationIDs []ID `json:"locationIds,omitempty"`
	// GroupIDs are a staff member's own groups.
	GroupIDs []ID `json:"groupIds,omitempty"`
	// SecretHash is the bcrypt hash of the password; in a file from before
	// PINs were kept apart it may hold a PIN. PINHash is the tablet PIN's.
	// Either signs in; a user has one or both.
	SecretHash     []byte    `json:"secretHash,omitempty"`
	PINHash        []byte    `json:"pinHash,omitempty"`
	FailedAttempts int       `json:"failedAttempts,omitempty"`
	LockedUntil    time.Time `json:"lockedUntil,omitzero"`
	// DeactivatedOn is the day the account was deactivated: the person no
	// longer signs in, but the log still names them, so they are never deleted.
	DeactivatedOn Date `json:"deactivatedOn,omitzero"`
}

// Active reports whether the user may sign in.
func (u User) Active() bool { return u.DeactivatedOn.IsZero() }

// Actor is a signed-in user as write paths check them.
type Actor struct {
	UserID    ID
	Name      string
	Role      Role
	Locations []ID
	Groups    []ID
}

// Action is something a role may or may not do.
type Action string

// The actions the store checks.
const (
	ActAttendance Action = "attendance" // check in/out, absences, notes, unlock a date
	ActRequest    Action = "request"    // register an extra-care request
	ActApprove    Action = "approve"    // approve or reject requests
	ActContracts  Action = "contracts"  // contracts and holiday contracts
	ActCalendar   Action = "calendar"   // school calendars and study days
	ActExport     Action = "export"     // invoicing export
	ActConsent    Action = "consent"    // record photo consent
	ActAdmin      Action = "admin"      // users, settings, audit log
)

// permissions lists, per role, what it may do; scope is checked apart.
var Permissions = map[Role][]Action{
	RoleManager: {ActAttendance, ActRequest, ActApprove, ActContracts, ActCalendar, ActExport, ActConsent, ActAdmin},
	RoleStaff:   {ActAttendance, ActRequest, ActApprove},
	RoleOffice:  {ActRequest, ActContracts, ActCalendar, ActExport, ActConsent},
}

// Can reports whether the actor may do action for group g (a zero Group for
// actions on a location as a whole, with locationID set). Staff act only in
// their own groups; managers and office users only at their locations.
func (a Actor) Can(action Action, locationID ID, g Group) error {
	if !slices.Contains(Permissions[a.Role], action) {
		return fmt.Errorf("%w: %s may not %s", ErrForbidden, a.Role, action)
	}
	if g.ID != 0 {
		locationID = g.LocationID
	}
	switch a.Role {
	case RoleStaff:
		if g.ID == 0 || !slices.Contains(a.Groups, g.ID) {
			return fmt.Errorf("%w: %s works in other groups than %q", ErrForbidden, a.Name, g.Name)
		}
	default:
		if !slices.Contains(a.Locations, locationID) {
			return fmt.Errorf("%w: %s does not serve this location", ErrForbidden, a.Name)
		}
	}
	return nil
}

// ValidateSecret checks a new PIN (4–6 digits) or password (8 or more characters).
func ValidateSecret(secret string) error {
	digits := strings.IndexFunc(secret, func(r rune) bool { return !unicode.IsDigit(r) }) < 0
	switch {
	case digits && len(secret) >= 4 && len(secret) <= 6:
		return nil
	case !digits && len([]rune(secret)) >= 8:
		return nil
	}
	return Invalid("a PIN has 4 to 6 digits; a password at least 8 characters")
}

// HashSecret hashes a PIN or password with bcrypt (salted, deliberately slow).
func HashSecret(secret string) ([]byte, error) {
	if err := ValidateSecret(secret); err != nil {
		return nil, err
	}
	return bcrypt.GenerateFromPassword([]byte(secret), bcrypt.DefaultCost)
}

// Matches reports whether secret is the user's password or PIN.
func (u User) Matches(secret string) bool {
	for _, h := range [][]byte{u.PINHash, u.SecretHash} {
		if len(h) > 0 && bcrypt.CompareHashAndPassword(h, []byte(secret)) == nil {
			return true
		}
	}
	return false
}

// Actor is the user as write paths check them.
func (u User) Actor() Actor {
	return Actor{UserID: u.ID, Name: u.Name, Role: u.Role, Locations: slices.Clone(u.LocationIDs), Groups: slices.Clone(u.GroupIDs)}
}

// RoleMay reports whether a role may do an action at all (its scope aside);
// screens use it to offer only what the store will allow.
func RoleMay(r Role, action Action) bool { return slices.Contains(Permissions[r], action) }
