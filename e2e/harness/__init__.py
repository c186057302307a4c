"""Support code for the e2e suite: test network, browser provisioning, the scenario runner."""
