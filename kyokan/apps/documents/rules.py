"""Permissions of the documents app; tests/documents/test_rules.py lists them for every role.

City staff read every document and, while a version is open for comments (協議中), comment
on it and endorse it or object; the secretariat drafts, revises, answers comments and records
adoption. Adopted versions are public (portal)."""

import rules

from kyokan.apps.core.predicates import is_city_staff, is_secretariat

rules.add_perm("documents.view_documents", is_city_staff)
rules.add_perm("documents.edit_documents", is_secretariat)
rules.add_perm("documents.comment", is_city_staff)
rules.add_perm("documents.endorse", is_city_staff)
rules.add_perm("documents.answer_comments", is_secretariat)
