/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Placeholder: the owner of this widget replaces this file. */
