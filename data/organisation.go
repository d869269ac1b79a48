package data

import (
	"fmt"
	"slices"
	"strings"
)

// MaxCapacity bounds a group's places: far above any licence, low enough to
// catch a typing slip (120 for 12).
const MaxCapacity = 99

// The codes of refusals of set-up, location, group and account changes.
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
	RefuseGroupAmbiguous     = "group-ambiguous"     // a group name at several locations
)

var organisationRefusals = map[string]RefusalText{
	RefuseNoOrganisationName: {Text: "Name the organisation."},
	RefuseNoLocationName:     {Text: "A location needs a name."},
	RefuseNoGroupName:        {Text: "A group needs a name."},
	RefuseNoPersonName:       {Text: "An account needs a name."},
	RefuseNameTaken:          {Text: "The name {{.Name}} is in use already."},
	RefuseCareType:           {Text: "Group {{.Name}}: the care type is KDV or BSO."},
	RefuseCapacity:           {Text: "Group {{.Name}}: places must be 1 to {{.Max}}."},
	RefuseHours:              {Text: "Group {{.Name}}: the opening hours end before they start."},
	RefuseKDVHolidayHours:    {Text: "Group {{.Name}}: holiday hours are for BSO groups; a KDV group has the same hours every day."},
	RefuseClosed:             {Text: "{{.Name}} is closed."},
	RefuseGroupsOpen:         {Text: "Close the location's groups first: {{.Name}} is open."},
	RefuseCareFixed:          {Text: "Group {{.Name}}: the care type stays; its contracts were made for it."},
	RefuseContractsRun:       {Text: "Contracts still run in group {{.Name}}. End them or move the children first."},
	RefuseRequestsWait:       {Text: "Group {{.Name}} has requests waiting for approval. Decide them first."},
	RefuseStaffWithoutGroup:  {Text: "{{.Name}}: group staff need at least one group."},
	RefuseNoLocation:         {Text: "{{.Name}}: a location manager or office user needs at least one location."},
	RefuseLastManager:        {Text: "The last active location manager cannot be deactivated or given another role. Make someone else manager first."},
	RefuseGroupAmbiguous:     {Text: "Several locations have a group {{.Name}}; name it as Location/Group."},
}

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
		return Refuse(RefuseNoOrganisationName, nil)
	case strings.TrimSpace(s.Location) == "":
		return Refuse(RefuseNoLocationName, nil)
	case strings.TrimSpace(s.Manager) == "":
		return Refuse(RefuseNoPersonName, nil)
	}
	seen := map[string]bool{}
	for _, g := range s.Groups {
		group := Group{Name: g.Name, Care: g.Care, Capacity: g.Capacity}
		if err := group.Validate(); err != nil {
			return err
		}
		key := strings.ToLower(strings.TrimSpace(g.Name))
		if seen[key] {
			return Refuse(RefuseNameTaken, Args{"Name": g.Name})
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
		return Refuse(RefuseNoGroupName, nil)
	case g.Care != KDV && g.Care != BSO:
		return Refuse(RefuseCareType, Args{"Name": g.Name})
	case g.Capacity < 1 || g.Capacity > MaxCapacity:
		return Refuse(RefuseCapacity, Args{"Name": g.Name, "Max": MaxCapacity})
	}
	for _, r := range []TimeRange{g.Hours.Day, g.Hours.HolidayDay} {
		if r != (TimeRange{}) && r.Until <= r.From {
			return Refuse(RefuseHours, Args{"Name": g.Name})
		}
	}
	if g.Care == KDV && g.Hours.HolidayDay != (TimeRange{}) {
		return Refuse(RefuseKDVHolidayHours, Args{"Name": g.Name})
	}
	return nil
}

// Organisation is every location and group, the closed ones too, for
// managing them; pickers use Locations and Groups, which leave closed ones out.
type Organisation struct {
	Name      string
	Locations []Location
	Groups    []Group
}

// OrganisationFor is the organisation as actor a (nil: the system) manages
// it: the locations and groups at a's locations, closed ones included.
func OrganisationFor(a *Actor, name string, locations []Location, groups []Group) Organisation {
	org := Organisation{Name: name}
	mine := func(loc ID) bool { return a == nil || slices.Contains(a.Locations, loc) }
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
	return org
}

// Edit is group old with the name, capacity and opening hours of g. A closed
// group is refused, and so is another care type: the contracts in the group
// were sold for its own.
func (old Group) Edit(g Group) (Group, error) {
	switch {
	case !old.ClosedOn.IsZero():
		return old, Refuse(RefuseClosed, Args{"Name": old.Name})
	case g.Care != old.Care:
		return old, Refuse(RefuseCareFixed, Args{"Name": old.Name})
	}
	g.LocationID, g.ClosedOn = old.LocationID, old.ClosedOn
	return g, nil
}

// GroupEdited is the changes of editing group old into g: what changed in
// words, before → after, and the group's planning.
func GroupEdited(old, g Group) []Change {
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
	return []Change{
		{Kind: ChangeCatalog, GroupID: g.ID, Detail: fmt.Sprintf("group %q: %s", g.Name, strings.Join(parts, ", "))},
		{Kind: ChangePlanning, GroupID: g.ID},
	}
}

// WorksIn reports whether the actor works in group g: a staff member in
// their own groups, a manager or planner in their locations' groups.
func (a Actor) WorksIn(g Group) bool {
	if a.Role == RoleStaff {
		return slices.Contains(a.Groups, g.ID)
	}
	return slices.Contains(a.Locations, g.LocationID)
}

// OpenLocationsFor is the open locations that actor a (nil: the system)
// picks from: where they work in a group, and for managers and planners
// their own locations even before these have groups.
func OpenLocationsFor(a *Actor, locations []Location, groups []Group) []Location {
	mine := map[ID]bool{}
	if a != nil {
		for _, g := range groups {
			mine[g.LocationID] = mine[g.LocationID] || a.WorksIn(g)
		}
		if a.Role != RoleStaff {
			for _, id := range a.Locations {
				mine[id] = true
			}
		}
	}
	var out []Location
	for _, l := range locations {
		if l.ClosedOn.IsZero() && (a == nil || mine[l.ID]) {
			out = append(out, l)
		}
	}
	return out
}
