package data

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// keyOrganisationName holds the organisation's name in the settings bucket.
var keyOrganisationName = []byte("name")

// MaxCapacity bounds a group's places: far above any licence, low enough to
// catch a typing slip (120 for 12).
const MaxCapacity = 99

// Refusal is a set-up, location, group or account change the rules refuse:
// a code the window translates, and the name it is about.
type Refusal struct {
	Code string
	Name string
}

// The codes of a Refusal.
const (
	RefuseNoOrganisationName = "no-organisation-name"
	RefuseNoLocationName     = "no-location-name"
	RefuseNoGroupName        = "no-group-name"
	RefuseNoPersonName       = "no-person-name"
	RefuseNameTaken          = "name-taken"          // another open location, group or active account has the name
	RefuseCareType           = "care-type"           // not KDV or BSO
	RefuseCapacity           = "capacity"            // not 1 to MaxCapacity
	RefuseHours              = "hours"               // opening hours end before they start
	RefuseKDVHolidayHours    = "kdv-holiday-hours"   // holiday hours are for BSO
	RefuseClosed             = "closed"              // the location or group is closed
	RefuseGroupsOpen         = "groups-open"         // a location with open groups (Name: one of them)
	RefuseCareFixed          = "care-fixed"          // a group's care type cannot change
	RefuseContractsRun       = "contracts-run"       // a group where contracts still run
	RefuseRequestsWait       = "requests-wait"       // a group with open requests
	RefuseStaffWithoutGroup  = "staff-without-group" // group staff need a group
	RefuseNoLocation         = "no-location"         // managers and office need a location
	RefuseLastManager        = "last-manager"        // the last active manager stays
)

var refusalText = map[string]string{
	RefuseNoOrganisationName: "name the organisation",
	RefuseNoLocationName:     "a location needs a name",
	RefuseNoGroupName:        "a group needs a name",
	RefuseNoPersonName:       "an account needs a name",
	RefuseNameTaken:          "the name %q is in use already",
	RefuseCareType:           "group %q: the care type is KDV or BSO",
	RefuseCapacity:           "group %q: places must be 1 to " + fmt.Sprint(MaxCapacity),
	RefuseHours:              "group %q: opening hours end before they start",
	RefuseKDVHolidayHours:    "group %q: holiday hours are for BSO groups",
	RefuseClosed:             "%q is closed",
	RefuseGroupsOpen:         "close the location's groups first (%q is open)",
	RefuseCareFixed:          "group %q: the care type stays, the contracts were made for it",
	RefuseContractsRun:       "contracts still run in group %q; end them or move the children first",
	RefuseRequestsWait:       "group %q has requests waiting for approval; decide them first",
	RefuseStaffWithoutGroup:  "%s: group staff need at least one group",
	RefuseNoLocation:         "%s: a manager or planner needs at least one location",
	RefuseLastManager:        "the last active manager cannot be deactivated or given another role",
}

func (r *Refusal) Error() string {
	text := refusalText[r.Code]
	if strings.Contains(text, "%") {
		text = fmt.Sprintf(text, r.Name)
	}
	return ErrInvalid.Error() + ": " + text
}

// Is makes errors.Is(err, ErrInvalid) true.
func (r *Refusal) Is(target error) bool { return target == ErrInvalid }

func refuse(code, name string) error { return &Refusal{Code: code, Name: name} }

// GroupSetup is one group of a new location.
type GroupSetup struct {
	Name     string
	Care     CareType
	Capacity int
}

// OrganisationSetup is what a new organisation starts with (M1): its name,
// its first location and groups, and the first manager's account.
type OrganisationSetup struct {
	Organisation string
	Location     string
	Groups       []GroupSetup
	Manager      string
	// Secret is the manager's password (or PIN); a PIN can be added later.
	Secret string
}

// Validate checks a set-up as a whole before anything is written.
func (s OrganisationSetup) Validate() error {
	switch {
	case strings.TrimSpace(s.Organisation) == "":
		return refuse(RefuseNoOrganisationName, "")
	case strings.TrimSpace(s.Location) == "":
		return refuse(RefuseNoLocationName, "")
	case strings.TrimSpace(s.Manager) == "":
		return refuse(RefuseNoPersonName, "")
	}
	seen := map[string]bool{}
	for _, g := range s.Groups {
		group := Group{Name: g.Name, Care: g.Care, Capacity: g.Capacity}
		if err := group.Validate(); err != nil {
			return err
		}
		key := strings.ToLower(strings.TrimSpace(g.Name))
		if seen[key] {
			return refuse(RefuseNameTaken, g.Name)
		}
		seen[key] = true
	}
	return ValidateSecret(s.Secret)
}

// Validate checks a group on its own: a name, a care type, places, and
// opening hours that end after they start.
func (g Group) Validate() error {
	switch {
	case strings.TrimSpace(g.Name) == "":
		return refuse(RefuseNoGroupName, "")
	case g.Care != KDV && g.Care != BSO:
		return refuse(RefuseCareType, g.Name)
	case g.Capacity < 1 || g.Capacity > MaxCapacity:
		return refuse(RefuseCapacity, g.Name)
	}
	for _, r := range []TimeRange{g.Hours.Day, g.Hours.HolidayDay} {
		if r != (TimeRange{}) && r.Until <= r.From {
			return refuse(RefuseHours, g.Name)
		}
	}
	if g.Care == KDV && g.Hours.HolidayDay != (TimeRange{}) {
		return refuse(RefuseKDVHolidayHours, g.Name)
	}
	return nil
}

// holdsData reports whether the file holds any organisation yet: a
// location, a person who signs in, or a child.
func holdsData(tx *bolt.Tx) bool {
	for _, b := range [][]byte{bucketLocations, bucketUsers, bucketChildren} {
		if k, _ := tx.Bucket(b).Cursor().First(); k != nil {
			return true
		}
	}
	return false
}

// SetUp creates a new organisation in an empty file, in one transaction:
// its name, the first location and its groups, and the first manager, who
// leads that location. It returns the manager, signed in. A file that holds
// data already is refused with ErrNotEmpty, and nothing is written.
func (db *DB) SetUp(s OrganisationSetup) (Actor, error) {
	if err := s.Validate(); err != nil {
		return Actor{}, err
	}
	hash, err := HashSecret(s.Secret) // slow on purpose: before the write lock
	if err != nil {
		return Actor{}, err
	}
	var manager User
	err = db.update(func(tx *bolt.Tx, changed *[]Change) error {
		if holdsData(tx) {
			return ErrNotEmpty
		}
		if err := putJSON(tx.Bucket(bucketSettings), keyOrganisationName, strings.TrimSpace(s.Organisation)); err != nil {
			return err
		}
		loc, err := putNewLocation(tx, strings.TrimSpace(s.Location))
		if err != nil {
			return err
		}
		for _, gs := range s.Groups {
			g := Group{LocationID: loc.ID, Name: strings.TrimSpace(gs.Name), Care: gs.Care, Capacity: gs.Capacity}
			if _, err := putNewGroup(tx, g); err != nil {
				return err
			}
		}
		manager = User{Name: strings.TrimSpace(s.Manager), Role: RoleManager, LocationIDs: []ID{loc.ID}}
		setHash(&manager, s.Secret, hash)
		if manager, err = putNewUser(tx, manager); err != nil {
			return err
		}
		*changed = append(*changed, Change{Kind: ChangeCatalog, Detail: fmt.Sprintf("organisation %q set up: location %q, %d groups, manager %q",
			strings.TrimSpace(s.Organisation), loc.Name, len(s.Groups), manager.Name)})
		return nil
	})
	return manager.actor(), err
}

// OrganisationName is the organisation's name, empty in a file from before it was kept.
func (db *DB) OrganisationName() (string, error) {
	var name string
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		name, err = readOrganisationName(tx)
		return err
	})
	return name, err
}

// readOrganisationName reads the name, stored as a JSON string; none is "".
func readOrganisationName(tx *bolt.Tx) (string, error) {
	name, err := getJSON[string](tx.Bucket(bucketSettings), keyOrganisationName)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	return name, err
}

// RenameOrganisation changes the organisation's name (managers).
func (db *DB) RenameOrganisation(name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return refuse(RefuseNoOrganisationName, "")
	}
	return db.update(func(tx *bolt.Tx, changed *[]Change) error {
		if err := db.allowRole(ActAdmin); err != nil {
			return err
		}
		old, err := readOrganisationName(tx)
		if err != nil {
			return err
		}
		*changed = append(*changed, Change{Kind: ChangeCatalog, Detail: fmt.Sprintf("organisation renamed %q → %q", old, name)})
		return putJSON(tx.Bucket(bucketSettings), keyOrganisationName, name)
	})
}

// Organisation is every location and group, the closed ones too, for
// managing them; pickers use Locations and Groups, which leave closed ones out.
type Organisation struct {
	Name      string
	Locations []Location
	Groups    []Group
}

// Organisation reads the organisation's locations and groups, closed ones
// included; on a signed-in handle those at the actor's locations.
func (db *DB) Organisation() (Organisation, error) {
	var org Organisation
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		if org.Name, err = readOrganisationName(tx); err != nil {
			return err
		}
		locations, err := allJSON[Location](tx.Bucket(bucketLocations))
		if err != nil {
			return err
		}
		groups, err := allJSON[Group](tx.Bucket(bucketGroups))
		if err != nil {
			return err
		}
		mine := func(loc ID) bool { return db.actor == nil || slices.Contains(db.actor.Locations, loc) }
		for _, l := range locations {
			if mine(l.ID) {
				org.Locations = append(org.Locations, l)
			}
		}
		for _, g := range groups {
			if mine(g.LocationID) {
				org.Groups = append(org.Groups, g)
			}
		}
		return nil
	})
	return org, err
}

// AddLocation adds a location (managers). The manager who adds it leads it
// from then on, so it is in their lists after they sign in again.
func (db *DB) AddLocation(name string) (Location, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Location{}, refuse(RefuseNoLocationName, "")
	}
	var loc Location
	err := db.update(func(tx *bolt.Tx, changed *[]Change) error {
		if err := db.allowRole(ActAdmin); err != nil {
			return err
		}
		var err error
		if loc, err = putNewLocation(tx, name); err != nil {
			return err
		}
		if db.actor != nil && db.actor.UserID != 0 {
			u, err := getJSON[User](tx.Bucket(bucketUsers), idKey(db.actor.UserID))
			if err != nil {
				return fmt.Errorf("user %d: %w", db.actor.UserID, err)
			}
			u.LocationIDs = append(u.LocationIDs, loc.ID)
			if err := putUser(tx, u); err != nil {
				return err
			}
		}
		*changed = append(*changed, Change{Kind: ChangeCatalog, Detail: fmt.Sprintf("location %q added", name)})
		return nil
	})
	return loc, err
}

// putNewLocation numbers and stores a new location; names are unique among open locations.
func putNewLocation(tx *bolt.Tx, name string) (Location, error) {
	if err := checkLocationName(tx, 0, name); err != nil {
		return Location{}, err
	}
	seq, err := tx.Bucket(bucketLocations).NextSequence()
	if err != nil {
		return Location{}, err
	}
	loc := Location{ID: ID(seq), Name: name}
	return loc, putJSON(tx.Bucket(bucketLocations), idKey(loc.ID), loc)
}

func checkLocationName(tx *bolt.Tx, self ID, name string) error {
	all, err := allJSON[Location](tx.Bucket(bucketLocations))
	if err != nil {
		return err
	}
	for _, l := range all {
		if l.ID != self && l.ClosedOn.IsZero() && strings.EqualFold(l.Name, name) {
			return refuse(RefuseNameTaken, name)
		}
	}
	return nil
}

// RenameLocation changes a location's name (managers of that location).
func (db *DB) RenameLocation(id ID, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return refuse(RefuseNoLocationName, "")
	}
	return db.update(func(tx *bolt.Tx, changed *[]Change) error {
		if err := db.allow(tx, ActAdmin, id, 0); err != nil {
			return err
		}
		loc, err := getJSON[Location](tx.Bucket(bucketLocations), idKey(id))
		if err != nil {
			return fmt.Errorf("location %d: %w", id, err)
		}
		if err := checkLocationName(tx, id, name); err != nil {
			return err
		}
		*changed = append(*changed, Change{Kind: ChangeCatalog, Detail: fmt.Sprintf("location %q renamed %q", loc.Name, name)})
		loc.Name = name
		return putJSON(tx.Bucket(bucketLocations), idKey(id), loc)
	})
}

// CloseLocation closes a location from today (managers of that location).
// Its groups must be closed first, so no child is left expected there.
func (db *DB) CloseLocation(id ID) error {
	today := db.Today()
	return db.update(func(tx *bolt.Tx, changed *[]Change) error {
		if err := db.allow(tx, ActAdmin, id, 0); err != nil {
			return err
		}
		loc, err := getJSON[Location](tx.Bucket(bucketLocations), idKey(id))
		if err != nil {
			return fmt.Errorf("location %d: %w", id, err)
		}
		if !loc.ClosedOn.IsZero() {
			return refuse(RefuseClosed, loc.Name)
		}
		groups, err := allJSON[Group](tx.Bucket(bucketGroups))
		if err != nil {
			return err
		}
		for _, g := range groups {
			if g.LocationID == id && g.ClosedOn.IsZero() {
				return refuse(RefuseGroupsOpen, g.Name)
			}
		}
		loc.ClosedOn = today
		*changed = append(*changed, Change{Kind: ChangeCatalog, Detail: fmt.Sprintf("location %q closed", loc.Name)})
		return putJSON(tx.Bucket(bucketLocations), idKey(id), loc)
	})
}

// AddGroup adds a group to an open location (managers of that location).
func (db *DB) AddGroup(g Group) (Group, error) {
	g.ID, g.ClosedOn, g.Name = 0, Date{}, strings.TrimSpace(g.Name)
	if err := g.Validate(); err != nil {
		return g, err
	}
	err := db.update(func(tx *bolt.Tx, changed *[]Change) error {
		if err := db.allow(tx, ActAdmin, g.LocationID, 0); err != nil {
			return err
		}
		var err error
		if g, err = putNewGroup(tx, g); err != nil {
			return err
		}
		*changed = append(*changed, Change{Kind: ChangeCatalog, Detail: fmt.Sprintf("group %q added (%s, %d places)", g.Name, g.Care, g.Capacity)})
		return nil
	})
	return g, err
}

// putNewGroup numbers and stores a new group of an open location.
func putNewGroup(tx *bolt.Tx, g Group) (Group, error) {
	if err := g.Validate(); err != nil {
		return g, err
	}
	loc, err := getJSON[Location](tx.Bucket(bucketLocations), idKey(g.LocationID))
	if err != nil {
		return g, invalid("group %q: unknown location %d", g.Name, g.LocationID)
	}
	if !loc.ClosedOn.IsZero() {
		return g, refuse(RefuseClosed, loc.Name)
	}
	if err := checkGroupName(tx, g); err != nil {
		return g, err
	}
	seq, err := tx.Bucket(bucketGroups).NextSequence()
	if err != nil {
		return g, err
	}
	g.ID = ID(seq)
	return g, putJSON(tx.Bucket(bucketGroups), idKey(g.ID), g)
}

// checkGroupName keeps open groups' names unique within a location: the
// command line and imports find a group by name.
func checkGroupName(tx *bolt.Tx, g Group) error {
	all, err := allJSON[Group](tx.Bucket(bucketGroups))
	if err != nil {
		return err
	}
	for _, other := range all {
		if other.ID != g.ID && other.LocationID == g.LocationID && other.ClosedOn.IsZero() && strings.EqualFold(other.Name, g.Name) {
			return refuse(RefuseNameTaken, g.Name)
		}
	}
	return nil
}

// UpdateGroup changes a group's name, capacity and opening hours (managers
// of its location). Its care type stays: the contracts in it were sold for it.
func (db *DB) UpdateGroup(g Group) error {
	g.Name = strings.TrimSpace(g.Name)
	if err := g.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *bolt.Tx, changed *[]Change) error {
		old, err := getJSON[Group](tx.Bucket(bucketGroups), idKey(g.ID))
		if err != nil {
			return fmt.Errorf("group %d: %w", g.ID, err)
		}
		if err := db.allow(tx, ActAdmin, old.LocationID, 0); err != nil {
			return err
		}
		switch {
		case !old.ClosedOn.IsZero():
			return refuse(RefuseClosed, old.Name)
		case g.Care != old.Care:
			return refuse(RefuseCareFixed, old.Name)
		}
		g.LocationID, g.ClosedOn = old.LocationID, old.ClosedOn
		if err := checkGroupName(tx, g); err != nil {
			return err
		}
		*changed = append(*changed, Change{Kind: ChangeCatalog, GroupID: g.ID, Detail: groupChanges(old, g)},
			Change{Kind: ChangePlanning, GroupID: g.ID})
		return putJSON(tx.Bucket(bucketGroups), idKey(g.ID), g)
	})
}

// groupChanges says what changed in a group, before → after.
func groupChanges(old, g Group) string {
	var parts []string
	if old.Name != g.Name {
		parts = append(parts, fmt.Sprintf("name %q → %q", old.Name, g.Name))
	}
	if old.Capacity != g.Capacity {
		parts = append(parts, fmt.Sprintf("capacity %d → %d", old.Capacity, g.Capacity))
	}
	if old.Hours.Day != g.Hours.Day {
		parts = append(parts, fmt.Sprintf("day hours %s → %s", old.Hours.Day, g.Hours.Day))
	}
	if old.Hours.HolidayDay != g.Hours.HolidayDay {
		parts = append(parts, fmt.Sprintf("holiday hours %s → %s", old.Hours.HolidayDay, g.Hours.HolidayDay))
	}
	return fmt.Sprintf("group %q: %s", g.Name, strings.Join(parts, ", "))
}

// CloseGroup closes a group from today (managers of its location). A group
// where contracts still run, or requests wait, is refused: end or move them
// first, so no child is expected in a group that is gone.
func (db *DB) CloseGroup(id ID) error {
	today := db.Today()
	return db.update(func(tx *bolt.Tx, changed *[]Change) error {
		g, err := getJSON[Group](tx.Bucket(bucketGroups), idKey(id))
		if err != nil {
			return fmt.Errorf("group %d: %w", id, err)
		}
		if err := db.allow(tx, ActAdmin, g.LocationID, 0); err != nil {
			return err
		}
		if !g.ClosedOn.IsZero() {
			return refuse(RefuseClosed, g.Name)
		}
		if idx := nested(tx.Bucket(bucketContractsByGroup), idKey(id)); idx != nil {
			c := idx.Cursor()
			for k, span := c.First(); k != nil; k, span = c.Next() {
				if _, end, _ := strings.Cut(string(span), "/"); end == "" || end >= today.String() {
					return refuse(RefuseContractsRun, g.Name)
				}
			}
		}
		if open := nested(tx.Bucket(bucketRequestsOpen), idKey(id)); open != nil {
			if k, _ := open.Cursor().First(); k != nil {
				return refuse(RefuseRequestsWait, g.Name)
			}
		}
		g.ClosedOn = today
		*changed = append(*changed, Change{Kind: ChangeCatalog, GroupID: id, Detail: fmt.Sprintf("group %q closed", g.Name)})
		return putJSON(tx.Bucket(bucketGroups), idKey(id), g)
	})
}
