package boltstore

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// ExportChildren writes the children of a location (every location for 0;
// on a signed-in handle every location the actor serves) with all their
// contracts as a children file the import reads back unchanged: one line per
// contract, the Dutch column names, ";" between fields, UTF-8 with a
// byte-order mark for Excel. Children without a planning-system number
// (added in Locatiedesk itself), and those whose data were removed, are left out.
// The export of personal data is written to the audit log.
func (db *DB) ExportChildren(ctx context.Context, w io.Writer, locationID data.ID) error {
	var rows [][]string
	err := db.update(ctx, data.AuditExportChildren, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActContracts); err != nil {
			return err
		}
		locations, err := allJSON[data.Location](tx.Bucket(bucketLocations))
		if err != nil {
			return err
		}
		groups, err := allJSON[data.Group](tx.Bucket(bucketGroups))
		if err != nil {
			return err
		}
		schools, err := allJSON[data.School](tx.Bucket(bucketSchools))
		if err != nil {
			return err
		}
		groupByID := map[data.ID]data.Group{}
		for _, g := range groups {
			groupByID[g.ID] = g
		}
		schoolName := map[data.ID]string{}
		for _, s := range schools {
			schoolName[s.ID] = s.Name
		}
		for _, loc := range locations {
			if locationID != 0 && loc.ID != locationID {
				continue
			}
			if db.actor != nil && !slices.Contains(db.actor.Locations, loc.ID) {
				if locationID != 0 {
					return db.allow(tx, data.ActContracts, loc.ID, 0)
				}
				continue
			}
			children, err := locationChildren(tx, loc.ID)
			if err != nil {
				return err
			}
			data.SortByName(children, func(c data.Child) data.Child { return c })
			for _, c := range children {
				if !c.RemovedOn.IsZero() || c.Number == "" {
					continue // a child without number would come back as a line the import refuses
				}
				contracts, err := childContracts(tx, c.ID, data.Date{}, data.MaxDate)
				if err != nil {
					return err
				}
				slices.SortStableFunc(contracts, func(a, b data.Contract) int { return a.Start.Compare(b.Start) })
				for _, k := range contracts {
					rows = append(rows, childExportRow(c, k, loc.Name, groupByID[k.GroupID].Name, schoolName[c.SchoolID]))
				}
			}
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePrint, Detail: fmt.Sprintf("children exported: %d contract lines", len(rows))})
		return nil
	})
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.Comma, cw.UseCRLF = ';', true
	if err := cw.Write(data.ChildImportColumns); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return bw.Flush()
}

// childExportRow is one contract as a line, in ChildImportColumns order.
func childExportRow(c data.Child, k data.Contract, location, group, school string) []string {
	var parent data.Contact
	if len(c.Contacts) > 0 {
		parent = c.Contacts[0]
	}
	optionalDate := func(d data.Date) string {
		if d.IsZero() {
			return ""
		}
		return d.String()
	}
	days, from, until := exportDays(k.Days)
	credit := func(n float64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatFloat(n, 'f', -1, 64)
	}
	t := neutraliseFormula
	return []string{t(c.Number), t(c.FirstName), t(c.LastName), optionalDate(c.BirthDate), t(location), t(group),
		string(k.Product), days, from, until, k.Start.String(), optionalDate(k.End), t(school),
		credit(float64(k.CreditDays)), credit(k.CreditHours), t(parent.Name), t(parent.Phone), t(parent.Email)}
}

// neutraliseFormula keeps Excel from running text as a formula (a phone
// number +31…, a name =…): a leading quote, which the import takes off again.
func neutraliseFormula(s string) string {
	if s != "" && strings.ContainsRune(data.FormulaStarts, rune(s[0])) {
		return "'" + s
	}
	return s
}

// exportDays writes weekdays as "ma,di,do" with the times in their own
// columns, or, when the days' times differ, each day with its times.
func exportDays(days []data.ContractDay) (list, from, until string) {
	if len(days) == 0 {
		return "", "", ""
	}
	same := !slices.ContainsFunc(days, func(d data.ContractDay) bool { return d.Times != days[0].Times })
	names := make([]string, len(days))
	for i, d := range days {
		names[i] = dutchDays[d.Weekday]
		if !same {
			names[i] += " " + d.Times.From.String() + "-" + d.Times.Until.String()
		}
	}
	if !same {
		return strings.Join(names, ","), "", ""
	}
	return strings.Join(names, ","), days[0].Times.From.String(), days[0].Times.Until.String()
}
