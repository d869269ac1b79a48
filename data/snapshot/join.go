package snapshot

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"locatiedesk/data"
)

// ErrLocationTaken is a location moved into an organisation that already
// holds a location of that name: most likely the same one, moved before.
var ErrLocationTaken = errors.New("the database already holds a location of that name")

// Join is how the records of a location's file join an organisation's:
// renumbered after the organisation's own, so no ID clashes.
type Join struct {
	Mapping Mapping
	// Insert are the file's records to add, renumbered. The study days and
	// closing days the organisation already has are in it too: the writer
	// adds only a day the organisation lacks, and a study day's decisions.
	Insert Snapshot
	// Users are the organisation's people who are also in the file (by
	// name), with the file's locations and groups added to theirs; their
	// role, secrets and lock-out stay the organisation's.
	Users []data.User
	// Moved are the records the join adds or rewrites, as they are after
	// it: what a check reads back. Insert's records, but of the study days
	// each as the organisation's day with the file's decisions added, of
	// the closing days only those the organisation lacked, the people of
	// Users beside the new ones, and the settings only where the
	// organisation had none. Every other record of the organisation stays
	// as it was.
	Moved Snapshot
}

// Target is what a join needs to know of the organisation it joins.
type Target struct {
	// Offsets holds the highest ID of every kind of record and the
	// organisation's last log sequence number (Same is not used).
	Offsets Mapping
	// Records are the organisation's records the file's may meet: every
	// location, school, person and closing day, the settings, the children
	// of the file's children's numbers, and the holidays and study days of
	// the schools the file shares (SharedSchools). Other records need not
	// be read: a join leaves them as they are.
	Records Snapshot
}

// SharedSchools maps each of the file's schools whose name the target has
// to the target's school: a school is the organisation's, one per name.
func SharedSchools(target, file []data.School) map[data.ID]data.ID {
	named := map[string]data.ID{}
	for _, s := range target {
		named[strings.ToLower(s.Name)] = s.ID
	}
	same := map[data.ID]data.ID{}
	for _, s := range file {
		if id, ok := named[strings.ToLower(s.Name)]; ok {
			same[s.ID] = id
		}
	}
	return same
}

// JoinInto plans adding file to target. Every ID of the file is offset by
// the target's highest of its kind, and the log follows the target's.
// Schools are the organisation's: a school whose name the target has is
// that school, and its holidays and study days the target has already are
// not added twice. A person whose name the target has is that person. The
// target keeps its settings when it has them.
func JoinInto(target Target, file Snapshot) (Join, error) {
	var j Join
	have := target.Records
	for _, l := range file.Locations {
		for _, taken := range have.Locations {
			if strings.EqualFold(strings.TrimSpace(l.Name), strings.TrimSpace(taken.Name)) {
				return j, fmt.Errorf("%w: %q", ErrLocationTaken, taken.Name)
			}
		}
	}
	m := target.Offsets
	m.Schools.Same = SharedSchools(have.Schools, file.Schools)
	m.Holidays.Same, m.Users.Same = map[data.ID]data.ID{}, map[data.ID]data.ID{}
	for _, h := range file.Holidays {
		to, shared := m.Schools.Same[h.SchoolID]
		if !shared {
			continue
		}
		for _, had := range have.Holidays {
			if had.SchoolID == to && ((h.UID != "" && h.UID == had.UID) || (h.Name == had.Name && h.From == had.From && h.To == had.To)) {
				m.Holidays.Same[h.ID] = had.ID
				break
			}
		}
	}
	userNamed := map[string]data.User{}
	for _, u := range have.Users {
		userNamed[strings.ToLower(strings.TrimSpace(u.Name))] = u
	}
	for _, u := range file.Users {
		if had, ok := userNamed[strings.ToLower(strings.TrimSpace(u.Name))]; ok {
			m.Users.Same[u.ID] = had.ID
		}
	}
	mapped := file.Remap(m)
	numbers := map[string]data.Child{}
	for _, c := range have.Children {
		if c.Number != "" {
			numbers[c.Number] = c
		}
	}
	for _, c := range mapped.Children {
		if had, taken := numbers[c.Number]; taken {
			return j, data.Refuse(data.RefuseChildNumberTaken, data.Args{"Number": c.Number, "Child": had.Name()})
		}
	}

	j.Mapping, j.Insert = m, mapped
	ins := &j.Insert
	if have.Settings != nil {
		ins.Settings, ins.Organisation = nil, ""
	}
	ins.Schools = slices.DeleteFunc(ins.Schools, func(s data.School) bool { return shared(m.Schools, s.ID) })
	ins.Holidays = slices.DeleteFunc(ins.Holidays, func(h data.SchoolHoliday) bool { return shared(m.Holidays, h.ID) })
	var newUsers []data.User
	for _, u := range ins.Users {
		i := slices.IndexFunc(have.Users, func(had data.User) bool { return had.ID == u.ID })
		if i < 0 {
			newUsers = append(newUsers, u)
			continue
		}
		k := slices.IndexFunc(j.Users, func(joined data.User) bool { return joined.ID == u.ID })
		if k < 0 {
			joined := have.Users[i]
			joined.LocationIDs, joined.GroupIDs = slices.Clone(joined.LocationIDs), slices.Clone(joined.GroupIDs)
			j.Users, k = append(j.Users, joined), len(j.Users)
		}
		joined := &j.Users[k]
		joined.LocationIDs = appendNew(joined.LocationIDs, u.LocationIDs)
		joined.GroupIDs = appendNew(joined.GroupIDs, u.GroupIDs)
	}
	ins.Users = newUsers

	mv := *ins
	mv.Users = append(slices.Clone(newUsers), j.Users...)
	mv.StudyDays = nil
	for _, sd := range ins.StudyDays {
		if i := slices.IndexFunc(have.StudyDays, func(had data.StudyDay) bool { return had.SchoolID == sd.SchoolID && had.Date == sd.Date }); i >= 0 {
			decided := have.StudyDays[i]
			decided.Decisions = append(slices.Clone(decided.Decisions), sd.Decisions...)
			sd = decided
		}
		mv.StudyDays = append(mv.StudyDays, sd)
	}
	mv.ClosingDays = slices.DeleteFunc(slices.Clone(ins.ClosingDays), func(cd data.ClosingDay) bool {
		return slices.ContainsFunc(have.ClosingDays, func(had data.ClosingDay) bool { return had.Date == cd.Date })
	})
	j.Moved = mv
	return j, nil
}

// shared reports whether the record renumbered to id is one the target
// holds already, not one of the file's own: the file's own are numbered
// above the target's highest, so they never meet a target's ID.
func shared(m IDs, id data.ID) bool {
	for _, to := range m.Same {
		if to == id {
			return true
		}
	}
	return false
}

func appendNew(have, more []data.ID) []data.ID {
	for _, id := range more {
		if !slices.Contains(have, id) {
			have = append(have, id)
		}
	}
	return have
}
