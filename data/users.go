package data

import (
	"errors"
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

// The codes of refusals of accounts, signing in and the role check.
const (
	RefuseRoleMayNot       = "account-role-may-not"   // the role may not do the action anywhere
	RefuseOtherGroups      = "account-other-groups"   // staff acting outside their own groups
	RefuseOtherLocation    = "account-other-location" // a manager or planner acting outside their locations
	RefuseOutsideYourScope = "account-outside-scope"  // an account at a location the manager does not lead
	RefuseUnknownRole      = "account-unknown-role"   // not manager, staff or office
	RefuseSecret           = "account-secret"         // a PIN of 4–6 digits or a password of 8 or more
	RefuseNoSecret         = "account-no-secret"      // an account without PIN or password
	RefuseNotSignedIn      = "account-not-signed-in"  // a change of one's own account without signing in
	RefuseWhereClosed      = "account-place-closed"   // a location or group of the account is closed
	RefuseWrongSecret      = "signin-wrong-secret"    // ErrWrongSecret
	RefuseLockedOut        = "signin-locked-out"      // ErrLockedOut, until Time
	RefuseDeactivated      = "signin-deactivated"     // ErrDeactivated
)

var accountRefusals = map[string]RefusalText{
	RefuseRoleMayNot:       {Text: "Your role does not allow this. Ask the location manager.", Kind: ErrForbidden},
	RefuseOtherGroups:      {Text: "You work in other groups than {{.Group}}. Ask the location manager.", Kind: ErrForbidden},
	RefuseOtherLocation:    {Text: "You do not work at this location. Ask the location manager.", Kind: ErrForbidden},
	RefuseOutsideYourScope: {Text: "{{.Name}} works at a location you do not manage.", Kind: ErrForbidden},
	RefuseUnknownRole:      {Text: "{{.Name}}: choose location manager, group staff or office as the role."},
	RefuseSecret:           {Text: "A PIN has 4 to 6 digits; a password at least 8 characters."},
	RefuseNoSecret:         {Text: "{{.Name}} needs a PIN or a password."},
	RefuseNotSignedIn:      {Text: "Sign in first."},
	RefuseWhereClosed:      {Text: "{{.Name}}: a location or group of this account is closed. Choose an open one."},
	RefuseWrongSecret:      {Text: "Wrong PIN or password. Try again.", Kind: ErrWrongSecret},
	RefuseLockedOut:        {Text: "Too many wrong attempts. Try again after {{.Time}}, or ask a colleague to sign in.", Kind: ErrLockedOut},
	RefuseDeactivated:      {Text: "The account of {{.Name}} is deactivated.", Kind: ErrDeactivated},
}

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
	// Device is the name of the paired device the actor works on, set by
	// the hub; the audit log names it with every write.
	Device string
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
	if err := a.MayDo(action); err != nil {
		return err
	}
	if g.ID != 0 {
		locationID = g.LocationID
	}
	switch a.Role {
	case RoleStaff:
		if g.ID == 0 || !slices.Contains(a.Groups, g.ID) {
			return Refuse(RefuseOtherGroups, Args{"Group": g.Name})
		}
	default:
		if !slices.Contains(a.Locations, locationID) {
			return Refuse(RefuseOtherLocation, nil)
		}
	}
	return nil
}

// MayDo checks only that the actor's role may do action at all, for actions
// that belong to no one location (school calendars, settings, accounts).
func (a Actor) MayDo(action Action) error {
	if !RoleMay(a.Role, action) {
		return Refuse(RefuseRoleMayNot, nil)
	}
	return nil
}

// MayReadAt refuses the actor the data of a child at locationID: managers
// and office users read the children of their own locations, staff those of
// the locations of their groups (groupLocations): a child card, its requests
// and consent reach across the groups of one building, for extras and
// holiday care, but never into another location.
func (a Actor) MayReadAt(locationID ID, groupLocations []ID) error {
	if slices.Contains(a.Locations, locationID) || a.Role == RoleStaff && slices.Contains(groupLocations, locationID) {
		return nil
	}
	return Refuse(RefuseOtherLocation, nil)
}

// MayManage refuses a manager an account that works anywhere they do not
// lead; where is every location of the account: its own and its groups'.
func (a Actor) MayManage(u User, where []ID) error {
	for _, loc := range where {
		if !slices.Contains(a.Locations, loc) {
			return Refuse(RefuseOutsideYourScope, Args{"Name": u.Name})
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
	return Refuse(RefuseSecret, nil)
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

// MaySignIn refuses an account that is deactivated, or locked out at now
// after too many wrong attempts.
func (u User) MaySignIn(now time.Time) error {
	switch {
	case now.Before(u.LockedUntil):
		return Refuse(RefuseLockedOut, Args{"Time": ClockOf(u.LockedUntil)})
	case !u.Active():
		return Refuse(RefuseDeactivated, Args{"Name": u.Name})
	}
	return nil
}

// AfterSignIn is the account as it is kept after an attempt at now with the
// right secret or not, and the attempt's refusal. A right one clears the
// count of wrong ones; the settings' SignInAttempts-th wrong one in a row
// locks the account for LockoutMinutes and starts the count again.
func (u User) AfterSignIn(right bool, now time.Time, s Settings) (User, error) {
	if right {
		u.FailedAttempts, u.LockedUntil = 0, time.Time{}
		return u, nil
	}
	u.FailedAttempts++
	if u.FailedAttempts < s.SignInAttempts {
		return u, Refuse(RefuseWrongSecret, nil)
	}
	u.FailedAttempts, u.LockedUntil = 0, now.Add(time.Duration(s.LockoutMinutes)*time.Minute)
	return u, Refuse(RefuseLockedOut, Args{"Time": ClockOf(u.LockedUntil)})
}

// MayDoEverywhere checks that the actor may do action at every one of
// locations, for what covers all of them at once (an export of every
// location, a backup).
func (a Actor) MayDoEverywhere(action Action, locations []ID) error {
	if err := a.MayDo(action); err != nil {
		return err
	}
	for _, id := range locations {
		if err := a.Can(action, id, Group{}); err != nil {
			return err
		}
	}
	return nil
}

// SignInOutcome is an attempt at signing in that was made (not refused
// before the secret was tried).
type SignInOutcome struct {
	Kept  User   // the account to store: its count of wrong attempts, its lock
	Log   Change // the attempt in the audit log, right or wrong
	Actor Actor  // who signed in; zero when the secret was wrong
	// Wrong refuses a wrong secret: the account is stored all the same,
	// and the sign-in fails.
	Wrong error
}

// TrySignIn tries secret on u's account at now; err refuses a locked or
// deactivated account before trying (nothing to store).
func (u User) TrySignIn(secret string, now time.Time, s Settings) (SignInOutcome, error) {
	if err := u.MaySignIn(now); err != nil {
		return SignInOutcome{}, err
	}
	right := u.Matches(secret)
	var o SignInOutcome
	o.Kept, o.Wrong = u.AfterSignIn(right, now, s)
	if right {
		o.Log = Change{Kind: ChangeSignIn, Detail: u.Name + " signed in"}
		o.Actor = o.Kept.Actor()
	} else {
		o.Log = Change{Kind: ChangeSignIn, Detail: "wrong PIN or password for " + u.Name}
	}
	return o, nil
}

// ActiveActor is u as write paths check them, refused once deactivated.
func (u User) ActiveActor() (Actor, error) {
	if !u.Active() {
		return Actor{}, Refuse(RefuseDeactivated, Args{"Name": u.Name})
	}
	return u.Actor(), nil
}

// SignInList is who can sign in, by name, from every account: deactivated
// accounts are left out, and no hash is kept (screens never need them).
func SignInList(all []User) []User {
	var out []User
	for _, u := range all {
		if u.Active() {
			u.SecretHash, u.PINHash = nil, nil
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b User) int { return strings.Compare(a.Name, b.Name) })
	return out
}
