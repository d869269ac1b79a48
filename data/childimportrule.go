package data

import (
	"errors"
	"slices"
	"strings"
)

// Planning a children import (M1): what a file's lines do to the stored
// children and contracts. Both stores plan with it inside the transaction
// that applies the plan, so what is written is what was checked.

// ChildImportCatalog is a store's locations, groups and schools by the
// names a children file gives them.
type ChildImportCatalog struct {
	locations map[string]Location
	groups    map[ID]map[string]Group
	schools   map[string]School
}

// ImportNameKey is a name as a file's line is matched by it: any case, any spacing.
func ImportNameKey(s string) string { return strings.ToLower(OneSpaced(s)) }

// NewChildImportCatalog indexes a store's locations, groups and schools, each by ID.
func NewChildImportCatalog(locations []Location, groups []Group, schools []School) ChildImportCatalog {
	cat := ChildImportCatalog{locations: map[string]Location{}, groups: map[ID]map[string]Group{}, schools: map[string]School{}}
	// A closed location or group keeps its name for history; an open one of
	// the same name is the one a file means.
	for _, l := range locations {
		if old, ok := cat.locations[ImportNameKey(l.Name)]; !ok || !old.ClosedOn.IsZero() {
			cat.locations[ImportNameKey(l.Name)] = l
		}
	}
	for _, g := range groups {
		if cat.groups[g.LocationID] == nil {
			cat.groups[g.LocationID] = map[string]Group{}
		}
		if old, ok := cat.groups[g.LocationID][ImportNameKey(g.Name)]; !ok || !old.ClosedOn.IsZero() {
			cat.groups[g.LocationID][ImportNameKey(g.Name)] = g
		}
	}
	for _, s := range schools {
		cat.schools[ImportNameKey(s.Name)] = s
	}
	return cat
}

// ChildImportSource is what planning an import asks of the store it
// imports into, inside the transaction that reads the catalog.
type ChildImportSource interface {
	// StoredChild is the child with the planning-system number, if any.
	StoredChild(number string) (Child, bool, error)
	// StoredContracts are all of a child's contracts, by ID.
	StoredContracts(childID ID) ([]Contract, error)
	// MayChangeContracts refuses (ErrForbidden) what the actor may not
	// change: the contracts at a location (groupID 0) or of a group.
	MayChangeContracts(locationID, groupID ID) error
}

// PlanChildImport is the rule of a children import (M1, M2, M3): per child
// of the file what will be created, changed and ended, and every problem of
// the file, against the store's catalog and stored children as src gives
// them. The error is the store's, or a role the actor lacks.
func PlanChildImport(ci ChildImport, cat ChildImportCatalog, src ChildImportSource, today Date) (ChildImportPlan, error) {
	plan := ChildImportPlan{Problems: slices.Clone(ci.Problems)}
	var order []string
	byNumber := map[string][]ChildImportLine{}
	for _, l := range ci.Lines {
		if _, seen := byNumber[l.Number]; !seen {
			order = append(order, l.Number)
		}
		byNumber[l.Number] = append(byNumber[l.Number], l)
	}
	newSchools := map[string]bool{}
	for _, number := range order {
		cp, problems, err := planChild(src, cat, byNumber[number], today)
		if err != nil {
			return plan, err
		}
		if len(problems) > 0 {
			plan.Problems = append(plan.Problems, problems...)
			continue
		}
		if cp.NewSchool != "" && !newSchools[ImportNameKey(cp.NewSchool)] {
			newSchools[ImportNameKey(cp.NewSchool)] = true
			plan.NewSchools = append(plan.NewSchools, cp.NewSchool)
		}
		plan.Children = append(plan.Children, cp)
	}
	slices.SortStableFunc(plan.Problems, func(a, b LineError) int { return a.Line - b.Line })
	return plan, nil
}

// planChild plans one child's lines; problems are the lines' problems, the
// error is the store's (or a role the actor lacks).
func planChild(src ChildImportSource, cat ChildImportCatalog, lines []ChildImportLine, today Date) (ChildPlan, []LineError, error) {
	first := lines[0]
	cp := ChildPlan{Line: first.Line, Number: first.Number}
	var problems []LineError
	fail := func(l ChildImportLine, p ImportProblem, value string, want int) {
		problems = append(problems, LineError{Line: l.Line, Problem: p, Value: value, Want: want})
	}
	for _, l := range lines[1:] {
		if column := childLineDiffers(first, l); column != "" {
			fail(l, ProblemChildDiffers, column, 0)
		}
		if first.Parent.Name == "" {
			first.Parent = l.Parent // a parent given on any of the child's lines counts
		}
	}
	if first.BirthDate.After(today) {
		fail(first, ProblemBirthFuture, first.BirthDate.String(), 0)
	}
	loc, ok := cat.locations[ImportNameKey(first.Location)]
	if !ok {
		fail(first, ProblemUnknownLoc, first.Location, 0)
		return cp, problems, nil
	}
	if err := src.MayChangeContracts(loc.ID, 0); err != nil {
		return cp, nil, err
	}
	stored, found, err := src.StoredChild(first.Number)
	if err != nil {
		return cp, nil, err
	}
	if found {
		if err := src.MayChangeContracts(stored.LocationID, 0); err != nil {
			return cp, nil, err
		}
		cp.Stored = stored
	}
	cp.Child = wantedChild(cp.Stored, first, loc)
	if first.School != "" {
		if s, ok := cat.schools[ImportNameKey(first.School)]; ok {
			cp.Child.SchoolID = s.ID
		} else {
			cp.Child.SchoolID, cp.NewSchool = 0, first.School
		}
	}
	var wanted []importedContract
	for _, l := range lines {
		g, ok := cat.groups[loc.ID][ImportNameKey(l.Group)]
		if !ok {
			fail(l, ProblemUnknownGroup, l.Group, 0)
			continue
		}
		c := Contract{ChildID: cp.Stored.ID, GroupID: g.ID, Product: l.Product, Days: l.Days, Start: l.Start, End: l.End,
			CreditDays: l.CreditDays, CreditHours: l.CreditHours}
		if CareOf(l.Product) != g.Care {
			fail(l, ProblemCareType, string(l.Product), 0)
			continue
		}
		if err := ValidateContract(c, g); err != nil {
			problem := LineError{Line: l.Line, Problem: ProblemContract, Value: strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": ")}
			errors.As(err, &problem.Because)
			problems = append(problems, problem)
			continue
		}
		wanted = append(wanted, importedContract{line: l.Line, c: c})
	}
	if len(problems) > 0 {
		return cp, problems, nil
	}
	var storedContracts []Contract
	if cp.Stored.ID != 0 {
		if storedContracts, err = src.StoredContracts(cp.Stored.ID); err != nil {
			return cp, nil, err
		}
	}
	var overlaps []LineError
	cp.Contracts, overlaps = matchContracts(storedContracts, wanted)
	if len(overlaps) > 0 {
		return cp, overlaps, nil
	}
	for _, k := range cp.Contracts {
		if k.Old.GroupID != 0 {
			if err := src.MayChangeContracts(0, k.Old.GroupID); err != nil {
				return cp, nil, err
			}
		}
	}
	cp.Changed = childChanges(cp.Stored, cp.Child, cp.NewSchool)
	switch {
	case cp.Stored.ID == 0:
		cp.Action = ImportCreate
	case len(cp.Changed) > 0:
		cp.Action = ImportChange
	default:
		cp.Action = ImportUnchanged
	}
	return cp, nil, nil
}

// wantedChild is the stored child (or a new one) with the line's details.
// Contacts: the file's parent becomes the first contact, the others stay.
func wantedChild(stored Child, l ChildImportLine, loc Location) Child {
	c := stored
	c.Contacts = slices.Clone(stored.Contacts)
	c.Number, c.FirstName, c.LastName, c.BirthDate, c.LocationID = l.Number, l.FirstName, l.LastName, l.BirthDate, loc.ID
	if l.School == "" {
		c.SchoolID = 0
	}
	if l.Parent.Name != "" {
		if len(c.Contacts) == 0 {
			c.Contacts = []Contact{{Relation: "ouder", MayCollect: true}}
		}
		c.Contacts[0].Name, c.Contacts[0].Phone, c.Contacts[0].Email = l.Parent.Name, l.Parent.Phone, l.Parent.Email
	}
	return c
}

// childChanges names the columns whose values differ between stored and wanted.
func childChanges(stored, wanted Child, newSchool string) []string {
	if stored.ID == 0 {
		return nil
	}
	var out []string
	note := func(differs bool, column string) {
		if differs {
			out = append(out, column)
		}
	}
	note(stored.FirstName != wanted.FirstName, ColFirstName)
	note(stored.LastName != wanted.LastName, ColLastName)
	note(stored.BirthDate != wanted.BirthDate, ColBirthDate)
	note(stored.LocationID != wanted.LocationID, ColLocation)
	note(stored.SchoolID != wanted.SchoolID || newSchool != "", ColSchool)
	note(!slices.Equal(stored.Contacts, wanted.Contacts), ColParentName)
	return out
}

// childLineDiffers names the first child column in which two lines of one
// child number disagree.
func childLineDiffers(a, b ChildImportLine) string {
	switch {
	case a.FirstName != b.FirstName:
		return ColFirstName
	case a.LastName != b.LastName:
		return ColLastName
	case a.BirthDate != b.BirthDate:
		return ColBirthDate
	case ImportNameKey(a.Location) != ImportNameKey(b.Location):
		return ColLocation
	case ImportNameKey(a.School) != ImportNameKey(b.School):
		return ColSchool
	case a.Parent.Name != "" && b.Parent.Name != "" && a.Parent != b.Parent:
		return ColParentName
	}
	return ""
}

// importedContract is a contract a line of the file asks for.
type importedContract struct {
	line int
	c    Contract
}

// matchContracts works out what a child's lines change in its stored
// contracts (pure). A line equal to a stored contract changes nothing. A
// line of a product with the start of a stored one changes it (an end date
// alone ends it). A line starting while a stored contract of its product
// runs is a new version of it from that day. Any other line is a new
// contract. Stored contracts no line names stay as they are. The
// contracts as they will be must not overlap; every overlap is a problem.
func matchContracts(stored []Contract, lines []importedContract) ([]ContractPlan, []LineError) {
	state := slices.Clone(stored)
	lineOf := make([]int, len(state)) // the line that names a state contract; 0: none
	planOf := make([]int, len(state)) // the plan that makes a state contract; -1: stored
	lines = slices.Clone(lines)
	slices.SortStableFunc(lines, func(a, b importedContract) int { return a.c.Start.Compare(b.c.Start) })
	for i := range planOf {
		planOf[i] = -1
	}
	var plans []ContractPlan
	remaining := lines[:0:0]
	for _, l := range lines {
		i := slices.IndexFunc(state, func(s Contract) bool { return sameContract(s, l.c) })
		if i >= 0 && lineOf[i] == 0 {
			lineOf[i] = l.line
			continue
		}
		remaining = append(remaining, l)
	}
	candidate := func(l importedContract, ok func(Contract) bool) int {
		best := -1
		for i, s := range state {
			if lineOf[i] != 0 || s.Product != l.c.Product || !ok(s) {
				continue
			}
			if best < 0 || (s.GroupID == l.c.GroupID && state[best].GroupID != l.c.GroupID) {
				best = i
			}
		}
		return best
	}
	for _, l := range remaining {
		if i := candidate(l, func(s Contract) bool { return s.Start == l.c.Start }); i >= 0 {
			next := l.c
			next.ID, next.ChildID, next.Continues = state[i].ID, state[i].ChildID, state[i].Continues
			action := ImportChange
			ended := state[i]
			ended.End = l.c.End
			if sameContract(ended, next) && !l.c.End.IsZero() && (state[i].End.IsZero() || state[i].End.After(l.c.End)) {
				action = ImportEnd
			}
			plans = append(plans, ContractPlan{Line: l.line, Action: action, Old: state[i], New: next})
			state[i], lineOf[i] = next, l.line
			continue
		}
		if i := candidate(l, func(s Contract) bool { return s.Start.Before(l.c.Start) && s.Runs(l.c.Start) }); i >= 0 {
			next := l.c
			next.Continues = state[i].ID
			plans = append(plans, ContractPlan{Line: l.line, Action: ImportVersion, Old: state[i], New: next})
			state[i].End = l.c.Start.AddDays(-1)
			lineOf[i] = l.line
			state, lineOf, planOf = append(state, next), append(lineOf, l.line), append(planOf, len(plans)-1)
			continue
		}
		created := ContractPlan{Line: l.line, Action: ImportCreate, New: l.c}
		// A contract starting the day after one of its product ends is its
		// next version, as when a file lists both (M2: credit years run on).
		if i := slices.IndexFunc(state, func(s Contract) bool {
			return s.Product == l.c.Product && !s.End.IsZero() && s.End.AddDays(1) == l.c.Start
		}); i >= 0 {
			if state[i].ID != 0 {
				created.New.Continues = state[i].ID
			} else {
				created.ContinuesPlan = planOf[i] + 1
			}
		}
		plans = append(plans, created)
		state, lineOf, planOf = append(state, created.New), append(lineOf, l.line), append(planOf, len(plans)-1)
	}
	var problems []LineError
	for i := range state {
		for j := i + 1; j < len(state); j++ {
			if (lineOf[i] == 0 && lineOf[j] == 0) || !ContractsOverlap(state[i], state[j]) {
				continue
			}
			switch {
			case lineOf[i] == 0:
				problems = append(problems, LineError{Line: lineOf[j], Problem: ProblemOverlap, Value: state[i].Start.String()})
			case lineOf[j] == 0:
				problems = append(problems, LineError{Line: lineOf[i], Problem: ProblemOverlap, Value: state[j].Start.String()})
			default:
				problems = append(problems, LineError{Line: max(lineOf[i], lineOf[j]), Problem: ProblemOverlap, Want: min(lineOf[i], lineOf[j])})
			}
		}
	}
	return plans, problems
}

// sameContract reports whether two contracts agree in all a file says.
func sameContract(a, b Contract) bool {
	return a.GroupID == b.GroupID && a.Product == b.Product && a.Start == b.Start && a.End == b.End &&
		a.CreditDays == b.CreditDays && a.CreditHours == b.CreditHours && slices.Equal(a.Days, b.Days)
}
