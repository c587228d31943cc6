"""A Scenario and a package in, verdicts out: utilities, red lines (conditional ones too), the
package space the search and the sweep share, texts with open points, and the words for why."""
