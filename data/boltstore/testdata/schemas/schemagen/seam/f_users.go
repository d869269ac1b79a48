package main

import "locatiedesk/data"

// addUsers: a manager of the first location and a staff member of its babies.
func addUsers(ds *data.Dataset) {
	ds.Users = []data.NewUser{
		{User: data.User{ID: 1, Name: "Marieke Bakker", Role: data.RoleManager, LocationIDs: []data.ID{1}}, Secret: "4711"},
		{User: data.User{ID: 2, Name: "Sanne Visser", Role: data.RoleStaff, GroupIDs: []data.ID{1}}, Secret: "2580"},
	}
}
