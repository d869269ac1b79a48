package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"locatiedesk/data"
)

// listFlag collects a repeated flag's values.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ", ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// runAccount adds a staff account, for scripted installs after setup:
//
//	locatiedesk account add --db PATH --name NAME --role staff|manager|office
//	    [--group NAME ...] [--location NAME ...] --secret PIN|PASSWORD
func runAccount(ctx context.Context, args []string, stdout io.Writer) error {
	const usage = "usage: locatiedesk account add --db PATH --name NAME --role staff|manager|office [--group NAME ...] [--location NAME ...] --secret PIN|PASSWORD"
	if len(args) == 0 || args[0] != "add" {
		return errors.New(usage)
	}
	fs, at := newStoreFlags("account add")
	name := fs.String("name", "", "the person's name, as on the sign-in list")
	role := fs.String("role", "", "staff (group staff), manager (location manager) or office")
	secret := fs.String("secret", "", "a PIN of 4 to 6 digits, or a password of at least 8 characters")
	var groups, locations listFlag
	fs.Var(&groups, "group", "a group of group staff (Location/Group where names repeat); repeat for more")
	fs.Var(&locations, "location", "a location of a manager or office user; repeat for more")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected %q: quote names with spaces", fs.Arg(0))
	}
	u := data.User{Name: *name, Role: data.Role(*role)}
	switch u.Role {
	case data.RoleStaff, data.RoleManager, data.RoleOffice:
	default:
		return fmt.Errorf("role %q: use staff, manager or office", *role)
	}
	db, err := at.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, g := range groups {
		group, err := db.GroupByName(ctx, g)
		if err != nil {
			return err
		}
		u.GroupIDs = append(u.GroupIDs, group.ID)
	}
	open, err := db.Locations(ctx)
	if err != nil {
		return err
	}
	for _, l := range locations {
		i := indexOfLocation(open, l)
		if i < 0 {
			return fmt.Errorf("location %q: %w", l, data.ErrNotFound)
		}
		u.LocationIDs = append(u.LocationIDs, open[i].ID)
	}
	added, err := db.AddUser(ctx, data.NewUser{User: u, Secret: *secret})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "account %q added as %s (number %d)\n", added.Name, added.Role, added.ID)
	return nil
}

func indexOfLocation(locations []data.Location, name string) int {
	for i, l := range locations {
		if strings.EqualFold(strings.TrimSpace(l.Name), strings.TrimSpace(name)) {
			return i
		}
	}
	return -1
}
