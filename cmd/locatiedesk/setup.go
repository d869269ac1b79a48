package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"locatiedesk/data"
	"locatiedesk/data/pgstore"
)

// groupFlags collects repeated --group NAME:KDV|BSO:CAPACITY values.
type groupFlags []data.GroupSetup

func (g *groupFlags) String() string { return fmt.Sprint(len(*g), " groups") }

// Set reads one group; the name may hold a colon, so it is split from the right.
func (g *groupFlags) Set(v string) error {
	group, err := parseGroup(v)
	if err != nil {
		return err
	}
	*g = append(*g, group)
	return nil
}

func parseGroup(v string) (data.GroupSetup, error) {
	rest, capacity, ok1 := cutLast(v, ":")
	name, care, ok2 := cutLast(rest, ":")
	if !ok1 || !ok2 || strings.TrimSpace(name) == "" {
		return data.GroupSetup{}, fmt.Errorf("group %q: write NAME:KDV:CAPACITY or NAME:BSO:CAPACITY", v)
	}
	n, err := strconv.Atoi(strings.TrimSpace(capacity))
	if err != nil {
		return data.GroupSetup{}, fmt.Errorf("group %q: capacity %q is not a number", v, capacity)
	}
	return data.GroupSetup{Name: strings.TrimSpace(name), Care: data.CareType(strings.ToUpper(strings.TrimSpace(care))), Capacity: n}, nil
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// runSetup sets up a new organisation in an empty data file, for scripted
// installs: everything is checked first and written in one transaction.
func runSetup(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dbPath := newFlags("setup")
	store := storeFlag(fs)
	var s data.OrganisationSetup
	var groups groupFlags
	fs.StringVar(&s.Organisation, "organisation", "", "the organisation's name")
	fs.StringVar(&s.Location, "location", "", "the first location's name")
	fs.StringVar(&s.Manager, "manager", "", "the first location manager's name")
	fs.StringVar(&s.Secret, "password", "", "the manager's password (at least 8 characters) or PIN (4 to 6 digits)")
	fs.Var(&groups, "group", "a group as NAME:KDV|BSO:CAPACITY; repeat for every group")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected %q: quote names with spaces", fs.Arg(0))
	}
	s.Groups = groups
	var missing []string
	for _, f := range []struct{ flag, value string }{{"--organisation", s.Organisation}, {"--location", s.Location}, {"--manager", s.Manager}, {"--password", s.Secret}} {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.flag)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("setup needs %s", strings.Join(missing, ", "))
	}
	if err := s.Validate(); err != nil {
		return err
	}
	var db data.Store
	var err error
	where := *dbPath
	if *store != "" { // a new organisation on its own PostgreSQL database
		db, err = pgstore.Open(ctx, *store)
		where = pgstore.Redact(*store)
	} else {
		db, err = createStore(*dbPath) // setup starts a new file
	}
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.SetUp(ctx, s); err != nil {
		if errors.Is(err, data.ErrNotEmpty) {
			return fmt.Errorf("%s already holds data; setup only starts a new organisation in an empty file or database (give another --db or --store)", where)
		}
		return err
	}
	fmt.Fprintf(stdout, "%q set up in %s: location %q with %d groups; %s signs in as location manager\n",
		s.Organisation, where, s.Location, len(s.Groups), s.Manager)
	return nil
}
