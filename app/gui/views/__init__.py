"""The main window's views: thin widgets over the models of app/activity.py and app/conflicts.py."""
