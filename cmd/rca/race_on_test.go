//go:build race

package main

// raceEnabled: the race detector's shadow memory makes RSS checks moot.
const raceEnabled = true
