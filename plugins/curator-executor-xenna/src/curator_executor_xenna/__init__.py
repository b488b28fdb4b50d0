"""Curator executor on Cosmos-Xenna."""
