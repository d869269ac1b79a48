package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"locatiedesk/data"
	"locatiedesk/reports"
)

const (
	importChildrenUsage = `usage: locatiedesk import children --db PATH FILE.csv|FILE.xlsx [--dry-run] [--map "Their header=kindnummer" ...]`
	exportChildrenUsage = "usage: locatiedesk export children --db PATH [--location NAME] -o FILE.csv"
)

// columnMap is the repeatable --map "Their header=our column" flag.
type columnMap map[string]string

func (m columnMap) String() string { return fmt.Sprint(map[string]string(m)) }

func (m columnMap) Set(s string) error {
	header, column, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(header) == "" || data.ChildColumn(column) == "" {
		return fmt.Errorf("%q: give --map \"their header=column\", the column one of %s", s, strings.Join(data.ChildImportColumns, ", "))
	}
	m[strings.TrimSpace(header)] = strings.TrimSpace(column)
	return nil
}

// parseInterleaved parses flags that may come before and after the
// positional arguments ("FILE --dry-run"), which flag.Parse alone stops at.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// runImportChildren imports children and contracts from the planning
// system's file (README, "Children and contracts from the planning system"):
// it prints what changes per child, every bad line as FILE:LINE: problem
// (then nothing is imported), and with --dry-run only the preview.
func runImportChildren(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, at := newStoreFlags("import children")
	fs.SetOutput(stderr)
	dryRun := fs.Bool("dry-run", false, "show what would change, import nothing")
	mapping := columnMap{}
	fs.Var(mapping, "map", `a header of the file and the column it is, "Kind nr=kindnummer" (repeatable)`)
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return errors.New(importChildrenUsage)
	}
	name := files[0]
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	ci, err := data.ParseChildImport(filepath.Base(name), f, mapping)
	if err != nil {
		return err
	}
	db, err := at.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	var plan data.ChildImportPlan
	if *dryRun {
		plan, err = db.PlanChildImport(ctx, ci)
	} else {
		plan, err = db.ImportChildren(ctx, ci)
	}
	if len(plan.Problems) > 0 {
		for _, p := range plan.Problems {
			if p.Line == 0 {
				fmt.Fprintf(stderr, "%s: %s\n", name, p.Message())
			} else {
				fmt.Fprintf(stderr, "%s:%d: %s\n", name, p.Line, p.Message())
			}
		}
		return fmt.Errorf("%s: %d problem(s) in the file; nothing was imported", name, len(plan.Problems))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	groups, err := db.Groups(ctx, 0)
	if err != nil {
		return err
	}
	printChildPlan(stdout, plan, groups)
	switch {
	case !plan.HasChanges():
		fmt.Fprintf(stdout, "nothing changes: %s matches the data file, nothing was written\n", name)
	case *dryRun:
		fmt.Fprintln(stdout, "dry run: nothing was imported")
	default:
		fmt.Fprintf(stdout, "imported from %s into %s\n", name, at)
	}
	return nil
}

// printChildPlan prints each child that changes with its contract changes, then the totals.
func printChildPlan(w io.Writer, plan data.ChildImportPlan, groups []data.Group) {
	groupName := map[data.ID]string{}
	for _, g := range groups {
		groupName[g.ID] = g.Name
	}
	describe := func(c data.Contract) string {
		text := fmt.Sprintf("%s in %s", c.Product, groupName[c.GroupID])
		if days := contractDays(c); days != "" {
			text += " " + days
		}
		return text
	}
	for _, cp := range plan.Children {
		if cp.Action == data.ImportUnchanged && len(cp.Contracts) == 0 {
			continue
		}
		what := map[data.ImportAction]string{data.ImportCreate: "new", data.ImportChange: "changed: " + strings.Join(cp.Changed, ", "),
			data.ImportUnchanged: "contracts change"}[cp.Action]
		fmt.Fprintf(w, "line %d: %s %s (%s)\n", cp.Line, cp.Number, cp.Child.Name(), what)
		for _, k := range cp.Contracts {
			switch k.Action {
			case data.ImportCreate:
				fmt.Fprintf(w, "    + %s from %s%s\n", describe(k.New), k.New.Start, untilText(k.New.End))
			case data.ImportVersion:
				fmt.Fprintf(w, "    ~ new version from %s: %s%s (was %s)\n", k.New.Start, describe(k.New), untilText(k.New.End), describe(k.Old))
			case data.ImportChange:
				fmt.Fprintf(w, "    ~ changed from its start %s: %s%s (was %s%s)\n", k.New.Start, describe(k.New), untilText(k.New.End), describe(k.Old), untilText(k.Old.End))
			case data.ImportEnd:
				fmt.Fprintf(w, "    - %s ends on %s\n", describe(k.Old), k.New.End)
			}
		}
	}
	n := plan.Counts()
	fmt.Fprintf(w, "children: %d new, %d changed, %d unchanged; contracts: %d new, %d changed, %d ended\n",
		n.ChildrenCreated, n.ChildrenChanged, n.ChildrenUnchanged, n.ContractsCreated, n.ContractsChanged, n.ContractsEnded)
	if len(plan.NewSchools) > 0 {
		fmt.Fprintf(w, "new schools (import their holidays next): %s\n", strings.Join(plan.NewSchools, ", "))
	}
}

func untilText(end data.Date) string {
	if end.IsZero() {
		return ""
	}
	return " until " + end.String()
}

// contractDays is "mon,tue 07:30–18:00", or the credit a contract gives.
func contractDays(c data.Contract) string {
	switch {
	case c.CreditDays > 0:
		return fmt.Sprintf("(%d holiday days)", c.CreditDays)
	case c.CreditHours > 0:
		return fmt.Sprintf("(%g hours)", c.CreditHours)
	}
	var names, withTimes []string
	same := true
	for _, d := range c.Days {
		name := strings.ToLower(d.Weekday.String()[:3])
		names, withTimes = append(names, name), append(withTimes, name+" "+d.Times.String())
		same = same && d.Times == c.Days[0].Times
	}
	if same && len(c.Days) > 0 {
		return strings.Join(names, ",") + " " + c.Days[0].Times.String()
	}
	return strings.Join(withTimes, ", ")
}

// runExportChildren writes the children file of a location (or of every
// location) the import reads back, whole or not at all (reports.Output);
// "-o -" writes it to stdout.
func runExportChildren(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, at := newStoreFlags("export children")
	locationName := fs.String("location", "", "one location (default every location)")
	out := fs.String("o", "", "the CSV file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("name the file with -o FILE.csv; " + exportChildrenUsage)
	}
	db, err := at.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	var locationID data.ID
	if *locationName != "" {
		loc, err := pickLocation(ctx, db, *locationName)
		if err != nil {
			return err
		}
		locationID = loc.ID
	}
	var text io.Writer
	if *out == "-" {
		text, stdout = stdout, stderr
	}
	var lines *lineCounter
	err = reports.WriteFile(*out, text, func(w io.Writer) error {
		lines = &lineCounter{w: w}
		return db.ExportChildren(ctx, lines, locationID)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d contract lines written to %s\n", lines.n-1, *out)
	return nil
}

// lineCounter counts the lines written through it.
type lineCounter struct {
	w io.Writer
	n int
}

func (c *lineCounter) Write(p []byte) (int, error) {
	c.n += strings.Count(string(p), "\n")
	return c.w.Write(p)
}
