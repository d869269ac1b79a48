package data

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// BSOPlacement is where a BSO child is in care on a day.
type BSOPlacement struct {
	GroupID ID
	// FiftyTwoWeeks children are expected on days without school under
	// their contract (A1): a sign-up would put them on the list, and the
	// bill, twice.
	FiftyTwoWeeks bool
}

// BSOPlacements finds, for every child with a BSO contract among the
// contracts running on d, the group of that contract.
func BSOPlacements(running []Contract, d Date) map[ID]BSOPlacement {
	out := map[ID]BSOPlacement{}
	for _, c := range running {
		if CareOf(c.Product) != BSO || !c.Runs(d) {
			continue
		}
		p, seen := out[c.ChildID]
		// The care contract names the group; a holiday contract alone will do.
		if !seen || c.Product != ProductBSOHoliday {
			p.GroupID = c.GroupID
		}
		p.FiftyTwoWeeks = p.FiftyTwoWeeks || c.Product == ProductBSO52Weeks
		out[c.ChildID] = p
	}
	return out
}

// StudyDayCandidate is a child who may be on a study-day sheet, with the
// group the child would be on it with: known before the child is read, so
// children who are not on the sheet are not read.
type StudyDayCandidate struct {
	ChildID, GroupID ID
	SignUp           *SignUp
}

// StudyDayCandidates are the children who may be on a study-day sheet, by
// number: placed at the location (but not 52 weeks a year, who are expected
// anyway), or signed up, with the group of the sign-up.
func StudyDayCandidates(placements map[ID]BSOPlacement, signUps map[ID]SignUp) []StudyDayCandidate {
	candidates := map[ID]StudyDayCandidate{}
	for id, p := range placements {
		if !p.FiftyTwoWeeks {
			candidates[id] = StudyDayCandidate{ChildID: id, GroupID: p.GroupID}
		}
	}
	for id, su := range signUps {
		candidates[id] = StudyDayCandidate{ChildID: id, GroupID: su.GroupID, SignUp: &su}
	}
	out := make([]StudyDayCandidate, 0, len(candidates))
	for _, id := range slices.Sorted(maps.Keys(candidates)) {
		out = append(out, candidates[id])
	}
	return out
}

// AddRow puts a child on the sheet: with the rows when signed up or at the
// sheet's school, else with the others who can be signed up.
func (s *StudyDaySheet) AddRow(r StudyDayRow) {
	if r.SignUp != nil || r.Child.SchoolID == s.StudyDay.SchoolID {
		s.Rows = append(s.Rows, r)
	} else {
		s.Others = append(s.Others, r)
	}
}

// Finish drops the others expected under a contract or by an approved
// request (sources: what puts each other on their group's list), who cannot
// sign up, and sorts both lists by name.
func (s *StudyDaySheet) Finish(sources map[ID]Source) {
	s.Others = slices.DeleteFunc(s.Others, func(r StudyDayRow) bool {
		src := sources[r.Child.ID]
		return src == SourceContract || src == SourceRequest
	})
	SortByName(s.Rows, func(r StudyDayRow) Child { return r.Child })
	SortByName(s.Others, func(r StudyDayRow) Child { return r.Child })
}

// OthersOnLists tells, for each of a sheet's others who is on their group's
// list of d, what puts them there. It applies the list's rule (A1) to only
// their contracts (among running) and extras (of d) and the calendar of their
// schools, instead of building the groups' whole lists.
func OthersOnLists(d Date, others []StudyDayRow, running []Contract, extras []Extra, cal Calendar, settings Settings) map[ID]Source {
	sources := map[ID]Source{}
	byGroup := map[ID]map[ID]Child{}
	groups := map[ID]Group{}
	for _, r := range others {
		if byGroup[r.Group.ID] == nil {
			byGroup[r.Group.ID], groups[r.Group.ID] = map[ID]Child{}, r.Group
		}
		byGroup[r.Group.ID][r.Child.ID] = r.Child
	}
	for groupID, children := range byGroup {
		var groupExtras []Extra
		for _, x := range extras {
			if _, ok := children[x.ChildID]; ok && x.GroupID == groupID {
				groupExtras = append(groupExtras, x)
			}
		}
		var contracts []Contract
		for _, c := range running {
			if _, ok := children[c.ChildID]; ok && c.GroupID == groupID {
				contracts = append(contracts, c)
			}
		}
		for _, e := range PlanDay(d, groups[groupID], contracts, groupExtras, children, cal, settings).Expected {
			sources[e.ChildID] = e.Source
		}
	}
	return sources
}

// Registered is the sign-up the registration's line e makes for its child in
// group groupID, given the child's active sign-up before (had: there is
// one): that one with the new times and group, or a new one (ID 0: the store
// numbers it). write is false when nothing changes.
func (reg SignUpRegistration) Registered(sd StudyDay, e SignUpEntry, groupID ID, before SignUp, had bool, now time.Time) (su SignUp, write bool) {
	switch {
	case had && before.Times == e.Times && before.GroupID == groupID:
		return before, false
	case had:
		su = before
		su.Times, su.GroupID, su.ChangedAt = e.Times, groupID, now
		return su, true
	}
	return SignUp{SchoolID: sd.SchoolID, Date: sd.Date, ChildID: e.ChildID, GroupID: groupID,
		Times: e.Times, RegisteredBy: reg.By, RegisteredAt: now, ChangedAt: now}, true
}

// PlanningChanges are the change-feed entries of the planning of d changed
// in the touched groups, by group number.
func PlanningChanges(d Date, touched map[ID]bool) []Change {
	var out []Change
	for _, g := range slices.Sorted(maps.Keys(touched)) {
		out = append(out, Change{Kind: ChangePlanning, Date: d, GroupID: g})
	}
	return out
}

// CheckStudyDayDecider refuses a decision on a study day by nobody or with
// an unknown outcome; it returns the decider's name trimmed.
func CheckStudyDayDecider(by string, outcome StudyDayOutcome) (string, error) {
	by = strings.TrimSpace(by)
	if by == "" {
		return "", Refuse(RefuseStudyDayNoDecider, nil)
	}
	return by, CheckStudyDayOutcome(outcome)
}

// CancelledSignUps are the sheet's sign-ups, cancelled by by at now with
// the care of the day (S2).
func (s StudyDaySheet) CancelledSignUps(by string, now time.Time) []SignUp {
	var out []SignUp
	for _, r := range s.Rows {
		if r.SignUp != nil {
			su := *r.SignUp
			su.Cancelled, su.ChangedAt, su.CancelledBy = true, now, by
			out = append(out, su)
		}
	}
	return out
}

// SignUpChange is the change-feed entry of a sign-up changed.
func SignUpChange(su SignUp) Change {
	return Change{Kind: ChangePlanning, Date: su.Date, GroupID: su.GroupID, ChildID: su.ChildID}
}

// Decided is the sheet's study day with the location's decision replaced
// by decision, and the change-feed entry that says so.
func (s StudyDaySheet) Decided(decision StudyDayDecision) (StudyDay, Change) {
	sd := s.StudyDay
	sd.Decisions = slices.DeleteFunc(slices.Clone(sd.Decisions), func(x StudyDayDecision) bool { return x.LocationID == decision.LocationID })
	sd.Decisions = append(sd.Decisions, decision)
	return sd, Change{Kind: ChangePlanning, Date: sd.Date,
		Detail: fmt.Sprintf("study day of school %d at location %d: %s (%d of %d signed up)", sd.SchoolID, decision.LocationID, decision.Outcome, s.SignedUp(), s.Minimum)}
}
