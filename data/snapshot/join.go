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
	// Expected is the organisation after the join: what a check reads back.
	Expected Snapshot
}

// JoinInto plans adding file to target, whose log ends at lastSeq. Every ID
// of the file is offset by the target's highest of its kind, and the log
// follows the target's. Schools are the organisation's: a school whose name
// the target has is that school, and its holidays and study days the target
// has already are not added twice. A person whose name the target has is
// that person. The target keeps its settings when it has them.
func JoinInto(target, file Snapshot, lastSeq uint64) (Join, error) {
	var j Join
	for _, l := range file.Locations {
		for _, have := range target.Locations {
			if strings.EqualFold(strings.TrimSpace(l.Name), strings.TrimSpace(have.Name)) {
				return j, fmt.Errorf("%w: %q", ErrLocationTaken, have.Name)
			}
		}
	}
	m := Mapping{
		Locations:    IDs{Offset: highest(target.Locations, func(v data.Location) data.ID { return v.ID })},
		Groups:       IDs{Offset: highest(target.Groups, func(v data.Group) data.ID { return v.ID })},
		Schools:      IDs{Offset: highest(target.Schools, func(v data.School) data.ID { return v.ID }), Same: map[data.ID]data.ID{}},
		Holidays:     IDs{Offset: highest(target.Holidays, func(v data.SchoolHoliday) data.ID { return v.ID }), Same: map[data.ID]data.ID{}},
		Children:     IDs{Offset: highest(target.Children, func(v data.Child) data.ID { return v.ID })},
		Contracts:    IDs{Offset: highest(target.Contracts, func(v data.Contract) data.ID { return v.ID })},
		SignUps:      IDs{Offset: highest(target.SignUps, func(v data.SignUp) data.ID { return v.ID })},
		Users:        IDs{Offset: highest(target.Users, func(v data.User) data.ID { return v.ID }), Same: map[data.ID]data.ID{}},
		Credit:       IDs{Offset: highest(target.Credit, func(v data.CreditEntry) data.ID { return v.ID })},
		Requests:     IDs{Offset: highest(target.Requests, func(v data.Request) data.ID { return v.ID })},
		Batches:      IDs{Offset: highest(target.InvoiceBatches, func(v data.InvoiceBatch) data.ID { return v.ID })},
		Devices:      IDs{Offset: highest(target.Devices, func(v data.Device) data.ID { return v.ID })},
		PairingCodes: IDs{Offset: highest(target.PairingCodes, func(v data.PairingCode) data.ID { return v.ID })},
		Seq:          lastSeq,
	}
	for _, e := range target.Audit {
		m.Seq = max(m.Seq, e.Seq)
	}
	schoolNamed := map[string]data.ID{}
	for _, s := range target.Schools {
		schoolNamed[strings.ToLower(s.Name)] = s.ID
	}
	for _, s := range file.Schools {
		if id, ok := schoolNamed[strings.ToLower(s.Name)]; ok {
			m.Schools.Same[s.ID] = id
		}
	}
	for _, h := range file.Holidays {
		to, shared := m.Schools.Same[h.SchoolID]
		if !shared {
			continue
		}
		for _, have := range target.Holidays {
			if have.SchoolID == to && ((h.UID != "" && h.UID == have.UID) || (h.Name == have.Name && h.From == have.From && h.To == have.To)) {
				m.Holidays.Same[h.ID] = have.ID
				break
			}
		}
	}
	userNamed := map[string]data.User{}
	for _, u := range target.Users {
		userNamed[strings.ToLower(strings.TrimSpace(u.Name))] = u
	}
	for _, u := range file.Users {
		if have, ok := userNamed[strings.ToLower(strings.TrimSpace(u.Name))]; ok {
			m.Users.Same[u.ID] = have.ID
		}
	}
	mapped := file.Remap(m)
	numbers := map[string]data.Child{}
	for _, c := range target.Children {
		if c.Number != "" {
			numbers[c.Number] = c
		}
	}
	for _, c := range mapped.Children {
		if have, taken := numbers[c.Number]; taken {
			return j, data.Refuse(data.RefuseChildNumberTaken, data.Args{"Number": c.Number, "Child": have.Name()})
		}
	}

	j.Mapping, j.Insert, j.Expected = m, mapped, target.Clone()
	ins, exp := &j.Insert, &j.Expected
	if target.Settings != nil {
		ins.Settings, ins.Organisation = nil, ""
	} else {
		exp.Settings, exp.Organisation = ins.Settings, ins.Organisation
	}
	ins.Schools = slices.DeleteFunc(ins.Schools, func(s data.School) bool { return shared(m.Schools, s.ID) })
	ins.Holidays = slices.DeleteFunc(ins.Holidays, func(h data.SchoolHoliday) bool { return shared(m.Holidays, h.ID) })
	var newUsers []data.User
	for _, u := range ins.Users {
		i := slices.IndexFunc(exp.Users, func(have data.User) bool { return have.ID == u.ID })
		if i < 0 {
			newUsers = append(newUsers, u)
			continue
		}
		have := &exp.Users[i]
		have.LocationIDs = appendNew(have.LocationIDs, u.LocationIDs)
		have.GroupIDs = appendNew(have.GroupIDs, u.GroupIDs)
		j.Users = append(j.Users, *have)
	}
	ins.Users = newUsers
	for _, sd := range ins.StudyDays {
		i := slices.IndexFunc(exp.StudyDays, func(have data.StudyDay) bool { return have.SchoolID == sd.SchoolID && have.Date == sd.Date })
		if i < 0 {
			exp.StudyDays = append(exp.StudyDays, sd)
		} else {
			exp.StudyDays[i].Decisions = append(exp.StudyDays[i].Decisions, sd.Decisions...)
		}
	}
	for _, cd := range ins.ClosingDays {
		if !slices.ContainsFunc(exp.ClosingDays, func(have data.ClosingDay) bool { return have.Date == cd.Date }) {
			exp.ClosingDays = append(exp.ClosingDays, cd)
		}
	}
	exp.Locations = append(exp.Locations, ins.Locations...)
	exp.Groups = append(exp.Groups, ins.Groups...)
	exp.Schools = append(exp.Schools, ins.Schools...)
	exp.Holidays = append(exp.Holidays, ins.Holidays...)
	exp.Children = append(exp.Children, ins.Children...)
	exp.Contracts = append(exp.Contracts, ins.Contracts...)
	exp.Extras = append(exp.Extras, ins.Extras...)
	exp.Attendance = append(exp.Attendance, ins.Attendance...)
	exp.SignUps = append(exp.SignUps, ins.SignUps...)
	exp.Users = append(exp.Users, ins.Users...)
	exp.Consents = append(exp.Consents, ins.Consents...)
	exp.Credit = append(exp.Credit, ins.Credit...)
	exp.CreditGrants = append(exp.CreditGrants, ins.CreditGrants...)
	exp.Requests = append(exp.Requests, ins.Requests...)
	exp.InvoiceBatches = append(exp.InvoiceBatches, ins.InvoiceBatches...)
	exp.InvoiceLines = append(exp.InvoiceLines, ins.InvoiceLines...)
	exp.Exported = append(exp.Exported, ins.Exported...)
	exp.Devices = append(exp.Devices, ins.Devices...)
	exp.PairingCodes = append(exp.PairingCodes, ins.PairingCodes...)
	exp.Audit = append(exp.Audit, ins.Audit...)
	exp.Sort()
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

func highest[T any](records []T, id func(T) data.ID) data.ID {
	var top data.ID
	for _, r := range records {
		top = max(top, id(r))
	}
	return top
}
