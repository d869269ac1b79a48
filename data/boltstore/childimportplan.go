package boltstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// PlanChildImport is the preview of an import: per child what will be
// created, changed and ended, and every problem of the file. It writes nothing.
func (db *DB) PlanChildImport(ctx context.Context, ci data.ChildImport) (data.ChildImportPlan, error) {
	var plan data.ChildImportPlan
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		plan, err = db.planChildImport(tx, ci)
		return err
	})
	return plan, err
}

// ImportChildren imports a children file in one transaction, all of it or
// nothing: with any problem it returns the plan and an *ImportError. A file
// that changes nothing (imported before) writes nothing at all.
func (db *DB) ImportChildren(ctx context.Context, ci data.ChildImport) (data.ChildImportPlan, error) {
	plan, err := db.PlanChildImport(ctx, ci)
	if err != nil {
		return plan, err
	}
	if len(plan.Problems) > 0 {
		return plan, &data.ImportError{Lines: plan.Problems}
	}
	if !plan.HasChanges() {
		return plan, nil
	}
	err = db.update(ctx, data.AuditImportChildren, func(tx *bolt.Tx, changed *[]data.Change) error {
		// Planned again inside the transaction: what is written is what was checked.
		var err error
		if plan, err = db.planChildImport(tx, ci); err != nil {
			return err
		}
		if len(plan.Problems) > 0 {
			return &data.ImportError{Lines: plan.Problems}
		}
		if err := applyChildImport(tx, plan); err != nil {
			return err
		}
		n := plan.Counts()
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf(
			"import %s: %d children added, %d changed; %d contracts added, %d changed, %d ended",
			ci.Name, n.ChildrenCreated, n.ChildrenChanged, n.ContractsCreated, n.ContractsChanged, n.ContractsEnded)},
			data.Change{Kind: data.ChangePlanning}, data.Change{Kind: data.ChangeConsent})
		return nil
	})
	return plan, err
}

// importCatalog is the store's locations, groups and schools by name.
type importCatalog struct {
	locations map[string]data.Location
	groups    map[data.ID]map[string]data.Group
	schools   map[string]data.School
}

func lookupKey(s string) string { return strings.ToLower(data.OneSpaced(s)) }

func readImportCatalog(tx *bolt.Tx) (importCatalog, error) {
	cat := importCatalog{locations: map[string]data.Location{}, groups: map[data.ID]map[string]data.Group{}, schools: map[string]data.School{}}
	locations, err := allJSON[data.Location](tx.Bucket(bucketLocations))
	if err != nil {
		return cat, err
	}
	// A closed location or group keeps its name for history; an open one of
	// the same name is the one a file means.
	for _, l := range locations {
		if old, ok := cat.locations[lookupKey(l.Name)]; !ok || !old.ClosedOn.IsZero() {
			cat.locations[lookupKey(l.Name)] = l
		}
	}
	groups, err := allJSON[data.Group](tx.Bucket(bucketGroups))
	if err != nil {
		return cat, err
	}
	for _, g := range groups {
		if cat.groups[g.LocationID] == nil {
			cat.groups[g.LocationID] = map[string]data.Group{}
		}
		if old, ok := cat.groups[g.LocationID][lookupKey(g.Name)]; !ok || !old.ClosedOn.IsZero() {
			cat.groups[g.LocationID][lookupKey(g.Name)] = g
		}
	}
	schools, err := allJSON[data.School](tx.Bucket(bucketSchools))
	for _, s := range schools {
		cat.schools[lookupKey(s.Name)] = s
	}
	return cat, err
}

func (db *DB) planChildImport(tx *bolt.Tx, ci data.ChildImport) (data.ChildImportPlan, error) {
	plan := data.ChildImportPlan{Problems: slices.Clone(ci.Problems)}
	today := data.DateOf(db.now())
	cat, err := readImportCatalog(tx)
	if err != nil {
		return plan, err
	}
	var order []string
	byNumber := map[string][]data.ChildImportLine{}
	for _, l := range ci.Lines {
		if _, seen := byNumber[l.Number]; !seen {
			order = append(order, l.Number)
		}
		byNumber[l.Number] = append(byNumber[l.Number], l)
	}
	newSchools := map[string]bool{}
	for _, number := range order {
		cp, problems, err := db.planChild(tx, cat, byNumber[number], today)
		if err != nil {
			return plan, err
		}
		if len(problems) > 0 {
			plan.Problems = append(plan.Problems, problems...)
			continue
		}
		if cp.NewSchool != "" && !newSchools[lookupKey(cp.NewSchool)] {
			newSchools[lookupKey(cp.NewSchool)] = true
			plan.NewSchools = append(plan.NewSchools, cp.NewSchool)
		}
		plan.Children = append(plan.Children, cp)
	}
	slices.SortStableFunc(plan.Problems, func(a, b data.LineError) int { return a.Line - b.Line })
	return plan, nil
}

// planChild plans one child's lines; problems are the lines' problems, the
// error is the store's (or a role the actor lacks).
func (db *DB) planChild(tx *bolt.Tx, cat importCatalog, lines []data.ChildImportLine, today data.Date) (data.ChildPlan, []data.LineError, error) {
	first := lines[0]
	cp := data.ChildPlan{Line: first.Line, Number: first.Number}
	var problems []data.LineError
	fail := func(l data.ChildImportLine, p data.ImportProblem, value string, want int) {
		problems = append(problems, data.LineError{Line: l.Line, Problem: p, Value: value, Want: want})
	}
	for _, l := range lines[1:] {
		if column := childLineDiffers(first, l); column != "" {
			fail(l, data.ProblemChildDiffers, column, 0)
		}
		if first.Parent.Name == "" {
			first.Parent = l.Parent // a parent given on any of the child's lines counts
		}
	}
	if first.BirthDate.After(today) {
		fail(first, data.ProblemBirthFuture, first.BirthDate.String(), 0)
	}
	loc, ok := cat.locations[lookupKey(first.Location)]
	if !ok {
		fail(first, data.ProblemUnknownLoc, first.Location, 0)
		return cp, problems, nil
	}
	if err := db.allow(tx, data.ActContracts, loc.ID, 0); err != nil {
		return cp, nil, err
	}
	if id := tx.Bucket(bucketChildrenByNumber).Get([]byte(first.Number)); id != nil {
		stored, err := getJSON[data.Child](tx.Bucket(bucketChildren), id)
		if err != nil {
			return cp, nil, fmt.Errorf("child %d: %w", btoi(id), err)
		}
		if err := db.allow(tx, data.ActContracts, stored.LocationID, 0); err != nil {
			return cp, nil, err
		}
		cp.Stored = stored
	}
	cp.Child = wantedChild(cp.Stored, first, loc)
	if first.School != "" {
		if s, ok := cat.schools[lookupKey(first.School)]; ok {
			cp.Child.SchoolID = s.ID
		} else {
			cp.Child.SchoolID, cp.NewSchool = 0, first.School
		}
	}
	var wanted []importedContract
	for _, l := range lines {
		g, ok := cat.groups[loc.ID][lookupKey(l.Group)]
		if !ok {
			fail(l, data.ProblemUnknownGroup, l.Group, 0)
			continue
		}
		c := data.Contract{ChildID: cp.Stored.ID, GroupID: g.ID, Product: l.Product, Days: l.Days, Start: l.Start, End: l.End,
			CreditDays: l.CreditDays, CreditHours: l.CreditHours}
		if data.CareOf(l.Product) != g.Care {
			fail(l, data.ProblemCareType, string(l.Product), 0)
			continue
		}
		if err := data.ValidateContract(c, g); err != nil {
			problem := data.LineError{Line: l.Line, Problem: data.ProblemContract, Value: strings.TrimPrefix(err.Error(), data.ErrInvalid.Error()+": ")}
			errors.As(err, &problem.Because)
			problems = append(problems, problem)
			continue
		}
		wanted = append(wanted, importedContract{line: l.Line, c: c})
	}
	if len(problems) > 0 {
		return cp, problems, nil
	}
	var stored []data.Contract
	if cp.Stored.ID != 0 {
		var err error
		if stored, err = childContracts(tx, cp.Stored.ID, data.Date{}, data.MaxDate); err != nil {
			return cp, nil, err
		}
	}
	var overlaps []data.LineError
	cp.Contracts, overlaps = matchContracts(stored, wanted)
	if len(overlaps) > 0 {
		return cp, overlaps, nil
	}
	for _, k := range cp.Contracts {
		if k.Old.GroupID != 0 {
			if err := db.allow(tx, data.ActContracts, 0, k.Old.GroupID); err != nil {
				return cp, nil, err
			}
		}
	}
	cp.Changed = childChanges(cp.Stored, cp.Child, cp.NewSchool)
	switch {
	case cp.Stored.ID == 0:
		cp.Action = data.ImportCreate
	case len(cp.Changed) > 0:
		cp.Action = data.ImportChange
	default:
		cp.Action = data.ImportUnchanged
	}
	return cp, nil, nil
}

// wantedChild is the stored child (or a new one) with the line's details.
// Contacts: the file's parent becomes the first contact, the others stay.
func wantedChild(stored data.Child, l data.ChildImportLine, loc data.Location) data.Child {
	c := stored
	c.Contacts = slices.Clone(stored.Contacts)
	c.Number, c.FirstName, c.LastName, c.BirthDate, c.LocationID = l.Number, l.FirstName, l.LastName, l.BirthDate, loc.ID
	if l.School == "" {
		c.SchoolID = 0
	}
	if l.Parent.Name != "" {
		if len(c.Contacts) == 0 {
			c.Contacts = []data.Contact{{Relation: "ouder", MayCollect: true}}
		}
		c.Contacts[0].Name, c.Contacts[0].Phone, c.Contacts[0].Email = l.Parent.Name, l.Parent.Phone, l.Parent.Email
	}
	return c
}

// childChanges names the columns whose values differ between stored and wanted.
func childChanges(stored, wanted data.Child, newSchool string) []string {
	if stored.ID == 0 {
		return nil
	}
	var out []string
	note := func(differs bool, column string) {
		if differs {
			out = append(out, column)
		}
	}
	note(stored.FirstName != wanted.FirstName, data.ColFirstName)
	note(stored.LastName != wanted.LastName, data.ColLastName)
	note(stored.BirthDate != wanted.BirthDate, data.ColBirthDate)
	note(stored.LocationID != wanted.LocationID, data.ColLocation)
	note(stored.SchoolID != wanted.SchoolID || newSchool != "", data.ColSchool)
	note(!slices.Equal(stored.Contacts, wanted.Contacts), data.ColParentName)
	return out
}

// childLineDiffers names the first child column in which two lines of one
// child number disagree.
func childLineDiffers(a, b data.ChildImportLine) string {
	switch {
	case a.FirstName != b.FirstName:
		return data.ColFirstName
	case a.LastName != b.LastName:
		return data.ColLastName
	case a.BirthDate != b.BirthDate:
		return data.ColBirthDate
	case lookupKey(a.Location) != lookupKey(b.Location):
		return data.ColLocation
	case lookupKey(a.School) != lookupKey(b.School):
		return data.ColSchool
	case a.Parent.Name != "" && b.Parent.Name != "" && a.Parent != b.Parent:
		return data.ColParentName
	}
	return ""
}

// importedContract is a contract a line of the file asks for.
type importedContract struct {
	line int
	c    data.Contract
}

// matchContracts works out what a child's lines change in its stored
// contracts (pure). A line equal to a stored contract changes nothing. A
// line of a product with the start of a stored one changes it (an end date
// alone ends it). A line starting while a stored contract of its product
// runs is a new version of it from that day. Any other line is a new
// contract. Stored contracts no line names stay as they are. The
// contracts as they will be must not overlap; every overlap is a problem.
func matchContracts(stored []data.Contract, lines []importedContract) ([]data.ContractPlan, []data.LineError) {
	state := slices.Clone(stored)
	lineOf := make([]int, len(state)) // the line that names a state contract; 0: none
	planOf := make([]int, len(state)) // the plan that makes a state contract; -1: stored
	lines = slices.Clone(lines)
	slices.SortStableFunc(lines, func(a, b importedContract) int { return a.c.Start.Compare(b.c.Start) })
	for i := range planOf {
		planOf[i] = -1
	}
	var plans []data.ContractPlan
	remaining := lines[:0:0]
	for _, l := range lines {
		i := slices.IndexFunc(state, func(s data.Contract) bool { return sameContract(s, l.c) })
		if i >= 0 && lineOf[i] == 0 {
			lineOf[i] = l.line
			continue
		}
		remaining = append(remaining, l)
	}
	candidate := func(l importedContract, ok func(data.Contract) bool) int {
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
		if i := candidate(l, func(s data.Contract) bool { return s.Start == l.c.Start }); i >= 0 {
			next := l.c
			next.ID, next.ChildID, next.Continues = state[i].ID, state[i].ChildID, state[i].Continues
			action := data.ImportChange
			ended := state[i]
			ended.End = l.c.End
			if sameContract(ended, next) && !l.c.End.IsZero() && (state[i].End.IsZero() || state[i].End.After(l.c.End)) {
				action = data.ImportEnd
			}
			plans = append(plans, data.ContractPlan{Line: l.line, Action: action, Old: state[i], New: next})
			state[i], lineOf[i] = next, l.line
			continue
		}
		if i := candidate(l, func(s data.Contract) bool { return s.Start.Before(l.c.Start) && s.Runs(l.c.Start) }); i >= 0 {
			next := l.c
			next.Continues = state[i].ID
			plans = append(plans, data.ContractPlan{Line: l.line, Action: data.ImportVersion, Old: state[i], New: next})
			state[i].End = l.c.Start.AddDays(-1)
			lineOf[i] = l.line
			state, lineOf, planOf = append(state, next), append(lineOf, l.line), append(planOf, len(plans)-1)
			continue
		}
		created := data.ContractPlan{Line: l.line, Action: data.ImportCreate, New: l.c}
		// A contract starting the day after one of its product ends is its
		// next version, as when a file lists both (M2: credit years run on).
		if i := slices.IndexFunc(state, func(s data.Contract) bool {
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
	var problems []data.LineError
	for i := range state {
		for j := i + 1; j < len(state); j++ {
			if (lineOf[i] == 0 && lineOf[j] == 0) || !data.ContractsOverlap(state[i], state[j]) {
				continue
			}
			switch {
			case lineOf[i] == 0:
				problems = append(problems, data.LineError{Line: lineOf[j], Problem: data.ProblemOverlap, Value: state[i].Start.String()})
			case lineOf[j] == 0:
				problems = append(problems, data.LineError{Line: lineOf[i], Problem: data.ProblemOverlap, Value: state[j].Start.String()})
			default:
				problems = append(problems, data.LineError{Line: max(lineOf[i], lineOf[j]), Problem: data.ProblemOverlap, Want: min(lineOf[i], lineOf[j])})
			}
		}
	}
	return plans, problems
}

// sameContract reports whether two contracts agree in all a file says.
func sameContract(a, b data.Contract) bool {
	return a.GroupID == b.GroupID && a.Product == b.Product && a.Start == b.Start && a.End == b.End &&
		a.CreditDays == b.CreditDays && a.CreditHours == b.CreditHours && slices.Equal(a.Days, b.Days)
}

// applyChildImport writes a plan without problems.
func applyChildImport(tx *bolt.Tx, plan data.ChildImportPlan) error {
	schoolIDs := map[string]data.ID{}
	for _, name := range plan.NewSchools {
		seq, err := tx.Bucket(bucketSchools).NextSequence()
		if err != nil {
			return err
		}
		if err := putJSON(tx.Bucket(bucketSchools), idKey(data.ID(seq)), data.School{ID: data.ID(seq), Name: name}); err != nil {
			return err
		}
		schoolIDs[lookupKey(name)] = data.ID(seq)
	}
	for _, cp := range plan.Children {
		c := cp.Child
		if cp.NewSchool != "" {
			c.SchoolID = schoolIDs[lookupKey(cp.NewSchool)]
		}
		switch cp.Action {
		case data.ImportCreate:
			seq, err := tx.Bucket(bucketChildren).NextSequence()
			if err != nil {
				return err
			}
			c.ID = data.ID(seq)
			fallthrough
		case data.ImportChange:
			if err := putChild(tx, c, cp.Stored); err != nil {
				return fmt.Errorf("line %d: %w", cp.Line, err)
			}
		}
		made := make([]data.ID, len(cp.Contracts)) // the IDs the plans' new contracts get
		for j, k := range cp.Contracts {
			next := k.New
			next.ChildID = c.ID
			if k.ContinuesPlan > 0 {
				next.Continues = made[k.ContinuesPlan-1]
			}
			var err error
			switch k.Action {
			case data.ImportCreate:
				if next.ID, err = nextContractID(tx); err == nil {
					err = putContract(tx, next)
				}
			case data.ImportChange, data.ImportEnd:
				err = replaceContract(tx, k.Old, next)
			case data.ImportVersion:
				ended := k.Old
				ended.End = next.Start.AddDays(-1)
				if err = putContract(tx, ended); err == nil {
					if next.ID, err = nextContractID(tx); err == nil {
						err = putContract(tx, next)
					}
				}
			default:
				err = errors.New("unknown import action " + string(k.Action))
			}
			if err != nil {
				return fmt.Errorf("line %d: %w", k.Line, err)
			}
			made[j] = next.ID
		}
	}
	return nil
}
