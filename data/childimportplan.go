package data

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// ImportAction says what an import does to a child or a contract.
type ImportAction string

// The actions of an import plan.
const (
	ImportCreate    ImportAction = "create"    // a new child or contract
	ImportChange    ImportAction = "change"    // the child's details, or a contract from its first day on
	ImportVersion   ImportAction = "version"   // a new contract version from a date (M2)
	ImportEnd       ImportAction = "end"       // the contract ends
	ImportUnchanged ImportAction = "unchanged" // the file says what the store holds
)

// ChildImportPlan is what an import will do, child by child: the preview.
// Children of the store whose number is not in the file are left as they
// are, and so is a contract of a child that no line of the file names.
type ChildImportPlan struct {
	Children []ChildPlan
	// NewSchools are schools the file names that the store has not; the
	// import adds them (their holidays are imported apart).
	NewSchools []string
	// Problems are the bad lines; with any, nothing is imported.
	Problems []LineError
}

// ChildPlan is what the import does to one child.
type ChildPlan struct {
	Line   int // the first line of the child in the file
	Number string
	Child  Child // as it will be stored; ID 0 for a new child
	Action ImportAction
	// Changed names the columns whose value changes (ColFirstName, ColSchool, ColParentName, …).
	Changed   []string
	Contracts []ContractPlan // only the contracts that change
	stored    Child
	newSchool string
}

// ContractPlan is one change of a contract.
type ContractPlan struct {
	Line   int
	Action ImportAction
	Old    Contract // the contract as stored; zero for a new one
	// New is the contract as it will be: for ImportVersion the new version,
	// starting on the day Old ends after.
	New Contract
	// continuesPlan is 1 + the index of the plan whose new contract this
	// one continues, when both are made by the same import (IDs to come).
	continuesPlan int
}

// ImportCounts sums a plan up.
type ImportCounts struct {
	ChildrenCreated, ChildrenChanged, ChildrenUnchanged int
	ContractsCreated, ContractsChanged, ContractsEnded  int
	SchoolsCreated                                      int
}

// Counts sums the plan up; ContractsChanged counts new versions and changes.
func (p ChildImportPlan) Counts() ImportCounts {
	var n ImportCounts
	for _, c := range p.Children {
		switch c.Action {
		case ImportCreate:
			n.ChildrenCreated++
		case ImportChange:
			n.ChildrenChanged++
		default:
			n.ChildrenUnchanged++
		}
		for _, k := range c.Contracts {
			switch k.Action {
			case ImportCreate:
				n.ContractsCreated++
			case ImportEnd:
				n.ContractsEnded++
			default:
				n.ContractsChanged++
			}
		}
	}
	n.SchoolsCreated = len(p.NewSchools)
	return n
}

// HasChanges reports whether importing the plan writes anything.
func (p ChildImportPlan) HasChanges() bool {
	n := p.Counts()
	return n.ChildrenCreated+n.ChildrenChanged+n.ContractsCreated+n.ContractsChanged+n.ContractsEnded+n.SchoolsCreated > 0
}

// PlanChildImport is the preview of an import: per child what will be
// created, changed and ended, and every problem of the file. It writes nothing.
func (db *DB) PlanChildImport(ci ChildImport) (ChildImportPlan, error) {
	var plan ChildImportPlan
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		plan, err = db.planChildImport(tx, ci)
		return err
	})
	return plan, err
}

// ImportChildren imports a children file in one transaction, all of it or
// nothing: with any problem it returns the plan and an *ImportError. A file
// that changes nothing (imported before) writes nothing at all.
func (db *DB) ImportChildren(ci ChildImport) (ChildImportPlan, error) {
	plan, err := db.PlanChildImport(ci)
	if err != nil {
		return plan, err
	}
	if len(plan.Problems) > 0 {
		return plan, &ImportError{Lines: plan.Problems}
	}
	if !plan.HasChanges() {
		return plan, nil
	}
	err = db.update(func(tx *bolt.Tx, changed *[]Change) error {
		// Planned again inside the transaction: what is written is what was checked.
		var err error
		if plan, err = db.planChildImport(tx, ci); err != nil {
			return err
		}
		if len(plan.Problems) > 0 {
			return &ImportError{Lines: plan.Problems}
		}
		if err := applyChildImport(tx, plan); err != nil {
			return err
		}
		n := plan.Counts()
		*changed = append(*changed, Change{Kind: ChangeCatalog, Detail: fmt.Sprintf(
			"import %s: %d children added, %d changed; %d contracts added, %d changed, %d ended",
			ci.Name, n.ChildrenCreated, n.ChildrenChanged, n.ContractsCreated, n.ContractsChanged, n.ContractsEnded)},
			Change{Kind: ChangePlanning}, Change{Kind: ChangeConsent})
		return nil
	})
	return plan, err
}

// importCatalog is the store's locations, groups and schools by name.
type importCatalog struct {
	locations map[string]Location
	groups    map[ID]map[string]Group
	schools   map[string]School
}

func lookupKey(s string) string { return strings.ToLower(oneSpaced(s)) }

func readImportCatalog(tx *bolt.Tx) (importCatalog, error) {
	cat := importCatalog{locations: map[string]Location{}, groups: map[ID]map[string]Group{}, schools: map[string]School{}}
	locations, err := allJSON[Location](tx.Bucket(bucketLocations))
	if err != nil {
		return cat, err
	}
	for _, l := range locations {
		cat.locations[lookupKey(l.Name)] = l
	}
	groups, err := allJSON[Group](tx.Bucket(bucketGroups))
	if err != nil {
		return cat, err
	}
	for _, g := range groups {
		if cat.groups[g.LocationID] == nil {
			cat.groups[g.LocationID] = map[string]Group{}
		}
		cat.groups[g.LocationID][lookupKey(g.Name)] = g
	}
	schools, err := allJSON[School](tx.Bucket(bucketSchools))
	for _, s := range schools {
		cat.schools[lookupKey(s.Name)] = s
	}
	return cat, err
}

func (db *DB) planChildImport(tx *bolt.Tx, ci ChildImport) (ChildImportPlan, error) {
	plan := ChildImportPlan{Problems: slices.Clone(ci.Problems)}
	today := DateOf(db.now())
	cat, err := readImportCatalog(tx)
	if err != nil {
		return plan, err
	}
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
		cp, problems, err := db.planChild(tx, cat, byNumber[number], today)
		if err != nil {
			return plan, err
		}
		if len(problems) > 0 {
			plan.Problems = append(plan.Problems, problems...)
			continue
		}
		if cp.newSchool != "" && !newSchools[lookupKey(cp.newSchool)] {
			newSchools[lookupKey(cp.newSchool)] = true
			plan.NewSchools = append(plan.NewSchools, cp.newSchool)
		}
		plan.Children = append(plan.Children, cp)
	}
	slices.SortStableFunc(plan.Problems, func(a, b LineError) int { return a.Line - b.Line })
	return plan, nil
}

// planChild plans one child's lines; problems are the lines' problems, the
// error is the store's (or a role the actor lacks).
func (db *DB) planChild(tx *bolt.Tx, cat importCatalog, lines []ChildImportLine, today Date) (ChildPlan, []LineError, error) {
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
	loc, ok := cat.locations[lookupKey(first.Location)]
	if !ok {
		fail(first, ProblemUnknownLoc, first.Location, 0)
		return cp, problems, nil
	}
	if err := db.allow(tx, ActContracts, loc.ID, 0); err != nil {
		return cp, nil, err
	}
	if id := tx.Bucket(bucketChildrenByNumber).Get([]byte(first.Number)); id != nil {
		stored, err := getJSON[Child](tx.Bucket(bucketChildren), id)
		if err != nil {
			return cp, nil, fmt.Errorf("child %d: %w", btoi(id), err)
		}
		if err := db.allow(tx, ActContracts, stored.LocationID, 0); err != nil {
			return cp, nil, err
		}
		cp.stored = stored
	}
	cp.Child = wantedChild(cp.stored, first, loc)
	if first.School != "" {
		if s, ok := cat.schools[lookupKey(first.School)]; ok {
			cp.Child.SchoolID = s.ID
		} else {
			cp.Child.SchoolID, cp.newSchool = 0, first.School
		}
	}
	var wanted []importedContract
	for _, l := range lines {
		g, ok := cat.groups[loc.ID][lookupKey(l.Group)]
		if !ok {
			fail(l, ProblemUnknownGroup, l.Group, 0)
			continue
		}
		c := Contract{ChildID: cp.stored.ID, GroupID: g.ID, Product: l.Product, Days: l.Days, Start: l.Start, End: l.End,
			CreditDays: l.CreditDays, CreditHours: l.CreditHours}
		if careOf(l.Product) != g.Care {
			fail(l, ProblemCareType, string(l.Product), 0)
			continue
		}
		if err := ValidateContract(c, g); err != nil {
			fail(l, ProblemContract, strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "), 0)
			continue
		}
		wanted = append(wanted, importedContract{line: l.Line, c: c})
	}
	if len(problems) > 0 {
		return cp, problems, nil
	}
	var stored []Contract
	if cp.stored.ID != 0 {
		var err error
		if stored, err = childContracts(tx, cp.stored.ID, Date{}, maxDate); err != nil {
			return cp, nil, err
		}
	}
	var overlaps []LineError
	cp.Contracts, overlaps = matchContracts(stored, wanted)
	if len(overlaps) > 0 {
		return cp, overlaps, nil
	}
	for _, k := range cp.Contracts {
		if k.Old.GroupID != 0 {
			if err := db.allow(tx, ActContracts, 0, k.Old.GroupID); err != nil {
				return cp, nil, err
			}
		}
	}
	cp.Changed = childChanges(cp.stored, cp.Child, cp.newSchool)
	switch {
	case cp.stored.ID == 0:
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
	case lookupKey(a.Location) != lookupKey(b.Location):
		return ColLocation
	case lookupKey(a.School) != lookupKey(b.School):
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
				created.continuesPlan = planOf[i] + 1
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

// applyChildImport writes a plan without problems.
func applyChildImport(tx *bolt.Tx, plan ChildImportPlan) error {
	schoolIDs := map[string]ID{}
	for _, name := range plan.NewSchools {
		seq, err := tx.Bucket(bucketSchools).NextSequence()
		if err != nil {
			return err
		}
		if err := putJSON(tx.Bucket(bucketSchools), idKey(ID(seq)), School{ID: ID(seq), Name: name}); err != nil {
			return err
		}
		schoolIDs[lookupKey(name)] = ID(seq)
	}
	for _, cp := range plan.Children {
		c := cp.Child
		if cp.newSchool != "" {
			c.SchoolID = schoolIDs[lookupKey(cp.newSchool)]
		}
		switch cp.Action {
		case ImportCreate:
			seq, err := tx.Bucket(bucketChildren).NextSequence()
			if err != nil {
				return err
			}
			c.ID = ID(seq)
			fallthrough
		case ImportChange:
			if err := putChild(tx, c, cp.stored); err != nil {
				return fmt.Errorf("line %d: %w", cp.Line, err)
			}
		}
		made := make([]ID, len(cp.Contracts)) // the IDs the plans' new contracts get
		for j, k := range cp.Contracts {
			next := k.New
			next.ChildID = c.ID
			if k.continuesPlan > 0 {
				next.Continues = made[k.continuesPlan-1]
			}
			var err error
			switch k.Action {
			case ImportCreate:
				if next.ID, err = nextContractID(tx); err == nil {
					err = putContract(tx, next)
				}
			case ImportChange, ImportEnd:
				err = replaceContract(tx, k.Old, next)
			case ImportVersion:
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
